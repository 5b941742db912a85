// Fused scaled dot-product attention for b independent (batch, head) slices: the FlashAttention recurrence.
//
// q [b, l, e], k [b, s, e], v [b, s, ev], out [b, l, ev] and lse [b, l] are dense row-major; the mask, when there is
// one, is an additive [b, l, s] view with any strides (0 where it broadcasts). Scores are scale * q.k + mask, and
// -inf past the diagonal when causal (query i sees keys j <= i).
//
// Forward: one thread block per (slice, block of query rows). The block keeps its rows of q in shared memory and
// walks the keys in tiles: each tile of k gives a tile of scores, each row updates its running maximum m and its
// running sum of exp(score - m), and rescales its accumulator of exp(score - m) v by exp(m_old - m_new) before adding
// the tile's share (its tile of v replaces that of k in shared memory). At the end out = acc / sum and
// lse = m + log(sum); a row that saw no key writes NaN to both, as the composed softmax of a row of -inf does.
//
// Backward, with P = exp(score - lse) recomputed tile by tile and D = rowsum(dOut * out) (attention_rowdot):
// dV = P^T dOut, dS = P (dOut V^T - D), dK = scale dS^T Q, dQ = scale dS K. attention_dkdv gives each block one tile of
// keys, whose dK and dV it sums over all query tiles; attention_dq gives each block one block of query rows, whose dQ
// it sums over all key tiles. Every output element is summed by one thread in a fixed order: no atomics, and the
// same result on every run.
//
// Accumulators live in registers: thread t owns the elements t, t + THREADS, t + 2 THREADS, ... of its block's
// output tile, so head dimensions (e and ev) up to ATT_MAX_DIM fit; the Java side falls back to the composed default
// above that. The arithmetic is in the element type (float or double). Simple rather than fast: one thread per row
// for the softmax statistics and plain loops over shared memory for the products.
#include "common.cuh"

#define ATT_MAX_DIM 128  // CudaBackend.ATTENTION_MAX_DIM
#define ATT_THREADS 128  // CudaBackend.ATTENTION_THREADS
#define ATT_PITCH (ATT_MAX_DIM + 1)  // row pitch of the shared tiles: an odd pitch spreads a column over the banks

struct AttentionArgs {
    u64 out, lse, q, k, v, mask;   // mask 0: none
    u64 dq, dk, dv, dout, rowdot;  // backward: the gradients (0: not wanted), dOut and D [b, l]
    i64 maskStride0, maskStride1, maskStride2;
    double scale;
    // causal first: in this order nvcc 13 emits no PTX ISA 8.3 pragma (used_bytes_mask) for half-used pairs
    int causal, b, l, s, e, ev;
};
static_assert(sizeof(AttentionArgs) == 144, "see Kernel.java");

// Tile sizes: shared memory stays under the 48 KB a block gets without opting in, for head dimensions up to 128.
// The Java side sizes its grid with the same numbers (a mismatch would only cost speed: blocks loop over the units).
template <typename T> struct AttTiles;
template <> struct AttTiles<float> {
    static const int FWD_ROWS = 32, FWD_KEYS = 32, BWD_ROWS = 16, BWD_KEYS = 16;
};
template <> struct AttTiles<double> {
    static const int FWD_ROWS = 16, FWD_KEYS = 16, BWD_ROWS = 8, BWD_KEYS = 8;
};

__device__ __forceinline__ int att_min(int a, int b) { return a < b ? a : b; }

// Math.max's NaN rule: a NaN on either side wins.
template <typename T>
__device__ __forceinline__ T att_max(T a, T b) { return (a != a || a > b) ? a : b; }

// The score of query i against key j of one slice: scale * q.k + mask, or -inf past the diagonal.
template <typename T>
__device__ __forceinline__ T att_score(const AttentionArgs& A, const T* qRow, const T* kRow, int slice, int i, int j) {
    if (A.causal && j > i) return (T) -INFINITY;
    T dot = 0;
    for (int x = 0; x < A.e; x++) dot += qRow[x] * kRow[x];
    T score = dot * (T) A.scale;
    if (A.mask) score += ((const T*) A.mask)[slice * A.maskStride0 + i * A.maskStride1 + j * A.maskStride2];
    return score;
}

// Copies rows [row0, row0 + rows) of a dense [.., width] matrix into a shared tile of pitch ATT_PITCH.
template <typename T>
__device__ __forceinline__ void att_load(T* tile, const T* src, i64 row0, int rows, int width) {
    for (int t = threadIdx.x; t < rows * width; t += blockDim.x) {
        int r = t / width, x = t - r * width;
        tile[r * ATT_PITCH + x] = src[(row0 + r) * width + x];
    }
}

template <typename T>
__device__ void attention_forward_impl(const AttentionArgs& A) {
    const int BR = AttTiles<T>::FWD_ROWS, BC = AttTiles<T>::FWD_KEYS, ACC = BR * ATT_MAX_DIM / ATT_THREADS;
    __shared__ T qs[BR * ATT_PITCH];
    __shared__ T kvs[BC * ATT_PITCH];  // the tile of k, then the tile of v
    __shared__ T ps[BR * BC];          // scores, then exp(score - m)
    __shared__ T rowMax[BR], rowSum[BR], rowScale[BR];
    const int tid = threadIdx.x, l = A.l, s = A.s, e = A.e, ev = A.ev;
    const T* Q = (const T*) A.q;
    const T* K = (const T*) A.k;
    const T* V = (const T*) A.v;
    const int blocks = (l + BR - 1) / BR;
    for (i64 unit = blockIdx.x; unit < (i64) A.b * blocks; unit += gridDim.x) {
        const int slice = (int) (unit / blocks), i0 = (int) (unit % blocks) * BR, rows = att_min(BR, l - i0);
        __syncthreads();  // the previous unit is done with the shared tiles
        att_load(qs, Q, (i64) slice * l + i0, rows, e);
        for (int r = tid; r < BR; r += blockDim.x) {
            rowMax[r] = (T) -INFINITY;
            rowSum[r] = 0;
        }
        T acc[ACC];
#pragma unroll
        for (int a = 0; a < ACC; a++) acc[a] = 0;
        const int end = A.causal ? att_min(s, i0 + rows) : s;  // the keys these rows may see
        for (int j0 = 0; j0 < end; j0 += BC) {
            const int cols = att_min(BC, end - j0);
            __syncthreads();  // kvs and ps are free again
            att_load(kvs, K, (i64) slice * s + j0, cols, e);
            __syncthreads();
            for (int t = tid; t < BR * BC; t += blockDim.x) {
                int r = t / BC, c = t - r * BC;
                ps[t] = r < rows && c < cols ? att_score(A, qs + r * ATT_PITCH, kvs + c * ATT_PITCH, slice, i0 + r, j0 + c)
                                             : (T) -INFINITY;
            }
            __syncthreads();
            // the online softmax, one thread per row: a row whose maximum is still -inf has seen nothing and adds nothing
            for (int r = tid; r < BR; r += blockDim.x) {
                T* p = ps + r * BC;
                T m0 = rowMax[r], m = m0;
                for (int c = 0; c < cols; c++) m = att_max(m, p[c]);
                T correction = 1, sum = 0;
                if (m == (T) -INFINITY) {
                    for (int c = 0; c < cols; c++) p[c] = 0;
                } else {
                    correction = exp(m0 - m);  // 0 on the first keys the row sees
                    for (int c = 0; c < cols; c++) {
                        T x = exp(p[c] - m);
                        p[c] = x;
                        sum += x;
                    }
                }
                for (int c = cols; c < BC; c++) p[c] = 0;
                rowMax[r] = m;
                rowSum[r] = rowSum[r] * correction + sum;
                rowScale[r] = correction;
            }
            __syncthreads();  // the scores are read: kvs takes the tile of v
            att_load(kvs, V, (i64) slice * s + j0, cols, ev);
            __syncthreads();
#pragma unroll
            for (int a = 0; a < ACC; a++) {
                int t = tid + a * ATT_THREADS;
                if (t < BR * ev) {
                    int r = t / ev, x = t - r * ev;
                    T sum = acc[a] * rowScale[r];
#pragma unroll 1  // inside a fully unrolled loop: unrolled too, it doubled the module's JIT time
                    for (int c = 0; c < cols; c++) sum += ps[r * BC + c] * kvs[c * ATT_PITCH + x];
                    acc[a] = sum;
                }
            }
        }
        __syncthreads();  // the last tile's statistics are written
        T* out = (T*) A.out + ((i64) slice * l + i0) * ev;
#pragma unroll
        for (int a = 0; a < ACC; a++) {
            int t = tid + a * ATT_THREADS;
            if (t < rows * ev) {
                int r = t / ev;
                T sum = rowSum[r];
                out[t] = sum == 0 ? (T) __longlong_as_double(0x7ff8000000000000LL) : acc[a] / sum;
            }
        }
        T* lse = (T*) A.lse + (i64) slice * l + i0;
        for (int r = tid; r < rows; r += blockDim.x) {
            T sum = rowSum[r];
            lse[r] = sum == 0 ? (T) __longlong_as_double(0x7ff8000000000000LL) : rowMax[r] + log(sum);
        }
    }
}

// D = rowsum(dOut * out), one thread per row of [b * l], summed in double.
template <typename T>
__device__ void attention_rowdot_impl(const AttentionArgs& A) {
    const T* g = (const T*) A.dout;
    const T* o = (const T*) A.out;
    GRID_STRIDE_LOOP(row, (i64) A.b * A.l) {
        double sum = 0;
        for (int x = 0; x < A.ev; x++) sum += (double) g[row * A.ev + x] * (double) o[row * A.ev + x];
        ((T*) A.rowdot)[row] = (T) sum;
    }
}

// The shared state of both backward kernels for one tile: query rows [i0, i0 + rows) with their q, dOut, lse and D,
// keys [j0, j0 + cols) with their k and v.
template <typename T, int BR, int BC>
struct AttGradTile {
    T qs[BR * ATT_PITCH], gs[BR * ATT_PITCH];  // q and dOut rows
    T ks[BC * ATT_PITCH], vs[BC * ATT_PITCH];  // k and v rows
    T p[BR * BC], ds[BR * BC];                 // P and dS
    T lse[BR], d[BR];
};

// Loads the query side of a tile: q, dOut, lse and D of rows [i0, i0 + rows).
template <typename T, int BR, int BC>
__device__ __forceinline__ void att_load_rows(AttGradTile<T, BR, BC>& w, const AttentionArgs& A, int slice, int i0, int rows) {
    i64 row0 = (i64) slice * A.l + i0;
    att_load(w.qs, (const T*) A.q, row0, rows, A.e);
    att_load(w.gs, (const T*) A.dout, row0, rows, A.ev);
    for (int r = threadIdx.x; r < rows; r += blockDim.x) {
        w.lse[r] = ((const T*) A.lse)[row0 + r];
        w.d[r] = A.rowdot ? ((const T*) A.rowdot)[row0 + r] : (T) 0;
    }
}

// Loads the key side of a tile: k and v of keys [j0, j0 + cols).
template <typename T, int BR, int BC>
__device__ __forceinline__ void att_load_keys(AttGradTile<T, BR, BC>& w, const AttentionArgs& A, int slice, int j0, int cols) {
    i64 key0 = (i64) slice * A.s + j0;
    att_load(w.ks, (const T*) A.k, key0, cols, A.e);
    att_load(w.vs, (const T*) A.v, key0, cols, A.ev);
}

// P = exp(score - lse) and, when wanted, dS = P (dOut . v - D) for the loaded tile; 0 outside [rows, cols).
template <typename T, int BR, int BC>
__device__ __forceinline__ void att_tile_gradients(AttGradTile<T, BR, BC>& w, const AttentionArgs& A, int slice, int i0,
                                                   int rows, int j0, int cols, bool wantDs) {
    for (int t = threadIdx.x; t < BR * BC; t += blockDim.x) {
        int r = t / BC, c = t - r * BC;
        T p = 0, ds = 0;
        if (r < rows && c < cols) {
            p = exp(att_score(A, w.qs + r * ATT_PITCH, w.ks + c * ATT_PITCH, slice, i0 + r, j0 + c) - w.lse[r]);
            if (wantDs) {
                T dp = 0;
                for (int x = 0; x < A.ev; x++) dp += w.gs[r * ATT_PITCH + x] * w.vs[c * ATT_PITCH + x];
                ds = p * (dp - w.d[r]);
            }
        }
        w.p[t] = p;
        w.ds[t] = ds;
    }
}

// dK and dV of one tile of keys per unit, summed over the query tiles that may see them.
template <typename T>
__device__ void attention_dkdv_impl(const AttentionArgs& A) {
    const int BR = AttTiles<T>::BWD_ROWS, BC = AttTiles<T>::BWD_KEYS, ACC = BC * ATT_MAX_DIM / ATT_THREADS;
    __shared__ AttGradTile<T, BR, BC> w;
    const int tid = threadIdx.x, l = A.l, s = A.s, e = A.e, ev = A.ev;
    const int tiles = (s + BC - 1) / BC;
    for (i64 unit = blockIdx.x; unit < (i64) A.b * tiles; unit += gridDim.x) {
        const int slice = (int) (unit / tiles), j0 = (int) (unit % tiles) * BC, cols = att_min(BC, s - j0);
        __syncthreads();
        att_load_keys(w, A, slice, j0, cols);
        T gk[ACC], gv[ACC];
#pragma unroll
        for (int a = 0; a < ACC; a++) gk[a] = gv[a] = 0;
        // with the causal constraint, query rows before j0 see none of these keys
        for (int i0 = A.causal ? j0 / BR * BR : 0; i0 < l; i0 += BR) {
            const int rows = att_min(BR, l - i0);
            __syncthreads();  // the previous query tile is consumed
            att_load_rows(w, A, slice, i0, rows);
            __syncthreads();
            att_tile_gradients(w, A, slice, i0, rows, j0, cols, A.dk != 0);
            __syncthreads();
#pragma unroll
            for (int a = 0; a < ACC; a++) {
                int t = tid + a * ATT_THREADS;
                if (A.dv && t < BC * ev) {  // dV[c] += sum_r P[r][c] dOut[r]
                    int c = t / ev, x = t - c * ev;
                    T sum = gv[a];
#pragma unroll 1  // inside a fully unrolled loop: unrolled too, it doubled the module's JIT time
                    for (int r = 0; r < rows; r++) sum += w.p[r * BC + c] * w.gs[r * ATT_PITCH + x];
                    gv[a] = sum;
                }
                if (A.dk && t < BC * e) {  // dK[c] += sum_r dS[r][c] q[r], scaled at the end
                    int c = t / e, x = t - c * e;
                    T sum = gk[a];
#pragma unroll 1  // inside a fully unrolled loop: unrolled too, it doubled the module's JIT time
                    for (int r = 0; r < rows; r++) sum += w.ds[r * BC + c] * w.qs[r * ATT_PITCH + x];
                    gk[a] = sum;
                }
            }
        }
        i64 key0 = (i64) slice * s + j0;
#pragma unroll
        for (int a = 0; a < ACC; a++) {
            int t = tid + a * ATT_THREADS;
            if (A.dv && t < cols * ev) ((T*) A.dv)[key0 * ev + t] = gv[a];
            if (A.dk && t < cols * e) ((T*) A.dk)[key0 * e + t] = gk[a] * (T) A.scale;
        }
    }
}

// dQ of one block of query rows per unit, summed over the key tiles they may see.
template <typename T>
__device__ void attention_dq_impl(const AttentionArgs& A) {
    const int BR = AttTiles<T>::BWD_ROWS, BC = AttTiles<T>::BWD_KEYS, ACC = BR * ATT_MAX_DIM / ATT_THREADS;
    __shared__ AttGradTile<T, BR, BC> w;
    const int tid = threadIdx.x, l = A.l, s = A.s, e = A.e;
    const int blocks = (l + BR - 1) / BR;
    for (i64 unit = blockIdx.x; unit < (i64) A.b * blocks; unit += gridDim.x) {
        const int slice = (int) (unit / blocks), i0 = (int) (unit % blocks) * BR, rows = att_min(BR, l - i0);
        __syncthreads();
        att_load_rows(w, A, slice, i0, rows);
        T gq[ACC];
#pragma unroll
        for (int a = 0; a < ACC; a++) gq[a] = 0;
        const int end = A.causal ? att_min(s, i0 + rows) : s;
        for (int j0 = 0; j0 < end; j0 += BC) {
            const int cols = att_min(BC, end - j0);
            __syncthreads();  // the previous key tile is consumed
            att_load_keys(w, A, slice, j0, cols);
            __syncthreads();
            att_tile_gradients(w, A, slice, i0, rows, j0, cols, true);
            __syncthreads();
#pragma unroll
            for (int a = 0; a < ACC; a++) {
                int t = tid + a * ATT_THREADS;
                if (t < BR * e) {  // dQ[r] += sum_c dS[r][c] k[c], scaled at the end
                    int r = t / e, x = t - r * e;
                    T sum = gq[a];
#pragma unroll 1  // inside a fully unrolled loop: unrolled too, it doubled the module's JIT time
                    for (int c = 0; c < cols; c++) sum += w.ds[r * BC + c] * w.ks[c * ATT_PITCH + x];
                    gq[a] = sum;
                }
            }
        }
        i64 row0 = (i64) slice * l + i0;
#pragma unroll
        for (int a = 0; a < ACC; a++) {
            int t = tid + a * ATT_THREADS;
            if (t < rows * e) ((T*) A.dq)[row0 * e + t] = gq[a] * (T) A.scale;
        }
    }
}

extern "C" __global__ void attention_forward_f32(const AttentionArgs A) { attention_forward_impl<float>(A); }
extern "C" __global__ void attention_forward_f64(const AttentionArgs A) { attention_forward_impl<double>(A); }
extern "C" __global__ void attention_rowdot_f32(const AttentionArgs A) { attention_rowdot_impl<float>(A); }
extern "C" __global__ void attention_rowdot_f64(const AttentionArgs A) { attention_rowdot_impl<double>(A); }
extern "C" __global__ void attention_dkdv_f32(const AttentionArgs A) { attention_dkdv_impl<float>(A); }
extern "C" __global__ void attention_dkdv_f64(const AttentionArgs A) { attention_dkdv_impl<double>(A); }
extern "C" __global__ void attention_dq_f32(const AttentionArgs A) { attention_dq_impl<float>(A); }
extern "C" __global__ void attention_dq_f64(const AttentionArgs A) { attention_dq_impl<double>(A); }
