// Batched, strided, row-major GEMM for when cuBLAS cannot be loaded: C = alpha * op(A) op(B) + beta * C.
// 64x64 tiles of C per block of 256 threads, each thread computing a 4x4 patch; A and B tiles of depth 16 are
// staged in shared memory. Accumulates in T with explicit FMA (the module is built with --fmad=false).
#include "common.cuh"

#define TILE_M 64
#define TILE_N 64
#define TILE_K 16
#define THREADS 256

struct GemmArgs {
    u64 a, b, c;
    i64 strideA, strideB, strideC;
    double alpha, beta;
    int m, n, k, lda, ldb, ldc, transA, transB, batch, pad;
};
static_assert(sizeof(GemmArgs) == 104, "see Kernel.java");

__device__ __forceinline__ float fused_multiply_add(float a, float b, float c) { return __fmaf_rn(a, b, c); }
__device__ __forceinline__ double fused_multiply_add(double a, double b, double c) { return __fma_rn(a, b, c); }

template <typename T>
__device__ void gemm_impl(const GemmArgs& G) {
    // +1 column keeps the transposing stores free of bank conflicts
    __shared__ T As[TILE_K][TILE_M + 1];  // As[p][i] = A(i0 + i, p0 + p)
    __shared__ T Bs[TILE_K][TILE_N + 1];  // Bs[p][j] = B(p0 + p, j0 + j)
    const int tid = threadIdx.x, tx = tid % 16, ty = tid / 16;
    const int tilesM = (G.m + TILE_M - 1) / TILE_M, tilesN = (G.n + TILE_N - 1) / TILE_N;
    const T alpha = (T) G.alpha, beta = (T) G.beta;

    for (int z = blockIdx.z; z < G.batch; z += gridDim.z) {
        const T* A = (const T*) G.a + z * G.strideA;
        const T* B = (const T*) G.b + z * G.strideB;
        T* C = (T*) G.c + z * G.strideC;
        for (int tm = blockIdx.y; tm < tilesM; tm += gridDim.y) {
            for (int tn = blockIdx.x; tn < tilesN; tn += gridDim.x) {
                const int i0 = tm * TILE_M, j0 = tn * TILE_N;
                T acc[4][4];
#pragma unroll
                for (int r = 0; r < 4; r++)
#pragma unroll
                    for (int c = 0; c < 4; c++) acc[r][c] = (T) 0;

                for (int p0 = 0; p0 < G.k; p0 += TILE_K) {
                    // consecutive threads walk the stored matrix's contiguous dimension, so loads coalesce
                    for (int e = tid; e < TILE_M * TILE_K; e += THREADS) {
                        int i = G.transA ? e % TILE_M : e / TILE_K;
                        int p = G.transA ? e / TILE_M : e % TILE_K;
                        int gi = i0 + i, gp = p0 + p;
                        T v = (T) 0;
                        if (gi < G.m && gp < G.k) v = G.transA ? A[(i64) gp * G.lda + gi] : A[(i64) gi * G.lda + gp];
                        As[p][i] = v;
                    }
                    for (int e = tid; e < TILE_K * TILE_N; e += THREADS) {
                        int j = G.transB ? e / TILE_K : e % TILE_N;
                        int p = G.transB ? e % TILE_K : e / TILE_N;
                        int gj = j0 + j, gp = p0 + p;
                        T v = (T) 0;
                        if (gj < G.n && gp < G.k) v = G.transB ? B[(i64) gj * G.ldb + gp] : B[(i64) gp * G.ldb + gj];
                        Bs[p][j] = v;
                    }
                    __syncthreads();
#pragma unroll
                    for (int p = 0; p < TILE_K; p++) {
                        T a[4], b[4];
#pragma unroll
                        for (int r = 0; r < 4; r++) a[r] = As[p][ty + 16 * r];
#pragma unroll
                        for (int c = 0; c < 4; c++) b[c] = Bs[p][tx + 16 * c];
#pragma unroll
                        for (int r = 0; r < 4; r++)
#pragma unroll
                            for (int c = 0; c < 4; c++) acc[r][c] = fused_multiply_add(a[r], b[c], acc[r][c]);
                    }
                    __syncthreads();
                }

#pragma unroll
                for (int r = 0; r < 4; r++) {
                    int gi = i0 + ty + 16 * r;
                    if (gi >= G.m) continue;
#pragma unroll
                    for (int c = 0; c < 4; c++) {
                        int gj = j0 + tx + 16 * c;
                        if (gj >= G.n) continue;
                        T* dst = C + (i64) gi * G.ldc + gj;
                        // beta == 0 must not read C, which may hold garbage (as in BLAS)
                        *dst = G.beta == 0.0 ? alpha * acc[r][c] : alpha * acc[r][c] + beta * *dst;
                    }
                }
            }
        }
    }
}

extern "C" __global__ void __launch_bounds__(THREADS) gemm_f32(const GemmArgs G) { gemm_impl<float>(G); }
extern "C" __global__ void __launch_bounds__(THREADS) gemm_f64(const GemmArgs G) { gemm_impl<double>(G); }
