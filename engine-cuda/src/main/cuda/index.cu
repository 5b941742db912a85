// gather and scatter-add along one dimension, with int64 indices. A bad index is reported through the
// ErrorInfo block (the host throws at its next synchronisation) and the element is skipped, so a bad index
// never reads or writes outside the buffer.
#include "common.cuh"

struct GatherArgs {
    Layout L;  // over out's shape; operands: 0 = out, 1 = index, 2 = in (stride 0 along dim)
    u64 out, index, in, error;
    i64 inDimStride, inDimSize;
};
static_assert(sizeof(GatherArgs) == 352, "see Kernel.java");

template <typename T>
__device__ void gather_impl(const GatherArgs& G) {
    T* out = (T*) G.out;
    const i64* index = (const i64*) G.index;
    const T* in = (const T*) G.in;
    GRID_STRIDE_LOOP(i, G.L.n) {
        i64 off[3];
        offsets<3>(G.L, i, off);
        i64 k = index[off[1]];
        if (k < 0 || k >= G.inDimSize) {
            report_index_error(G.error, ERR_GATHER, k, G.inDimSize);
            out[off[0]] = (T) 0;
        } else {
            out[off[0]] = in[off[2] + k * G.inDimStride];
        }
    }
}

extern "C" __global__ void gather_f32(const GatherArgs G) { gather_impl<float>(G); }
extern "C" __global__ void gather_f64(const GatherArgs G) { gather_impl<double>(G); }
extern "C" __global__ void gather_i64(const GatherArgs G) { gather_impl<i64>(G); }
extern "C" __global__ void gather_i32(const GatherArgs G) { gather_impl<int>(G); }
extern "C" __global__ void gather_bool(const GatherArgs G) { gather_impl<u8>(G); }

struct ScatterAddArgs {
    Layout L;  // over index's shape; operands: 0 = index, 1 = src, 2 = out (stride 0 along dim)
    u64 out, index, src, error;
    i64 outDimStride, outDimSize;
};
static_assert(sizeof(ScatterAddArgs) == 352, "see Kernel.java");

__device__ __forceinline__ void atomic_add(float* p, float v) { atomicAdd(p, v); }
__device__ __forceinline__ void atomic_add(double* p, double v) { atomicAdd(p, v); }  // sm_60+
__device__ __forceinline__ void atomic_add(i64* p, i64 v) { atomicAdd((u64*) p, (u64) v); }  // two's complement
__device__ __forceinline__ void atomic_add(int* p, int v) { atomicAdd(p, v); }

template <typename T>
__device__ void scatter_add_impl(const ScatterAddArgs& S) {
    T* out = (T*) S.out;
    const i64* index = (const i64*) S.index;
    const T* src = (const T*) S.src;
    GRID_STRIDE_LOOP(i, S.L.n) {
        i64 off[3];
        offsets<3>(S.L, i, off);
        i64 k = index[off[0]];
        if (k < 0 || k >= S.outDimSize) report_index_error(S.error, ERR_SCATTER_ADD, k, S.outDimSize);
        else atomic_add(out + off[2] + k * S.outDimStride, src[off[1]]);
    }
}

extern "C" __global__ void scatter_add_f32(const ScatterAddArgs S) { scatter_add_impl<float>(S); }
extern "C" __global__ void scatter_add_f64(const ScatterAddArgs S) { scatter_add_impl<double>(S); }
extern "C" __global__ void scatter_add_i64(const ScatterAddArgs S) { scatter_add_impl<i64>(S); }
extern "C" __global__ void scatter_add_i32(const ScatterAddArgs S) { scatter_add_impl<int>(S); }
