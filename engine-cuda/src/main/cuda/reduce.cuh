// Kernel templates for reductions along one axis, softmax / log-softmax, and fused cross-entropy forward and backward.
// reduce.cu instantiates them for float, double and i64; half_ops.cu the reductions and softmax for F16 and BF16
// storage (element.cuh), which accumulate as float does, in double, and round the float result once.
#pragma once

#include "common.cuh"
#include "element.cuh"

// Floating inputs (half ones included) accumulate in double, int64 in int64.
template <typename T> struct AccOf { typedef double type; };
template <> struct AccOf<i64> { typedef i64 type; };

template <typename A>
struct Pair {
    A v;
    i64 i;  // index along the axis, for ARGMAX / ARGMIN
};

__device__ __forceinline__ bool is_nan(double v) { return v != v; }
__device__ __forceinline__ bool is_nan(i64) { return false; }
__device__ __forceinline__ double lowest(double) { return -INFINITY; }
__device__ __forceinline__ i64 lowest(i64) { return (i64) 0x8000000000000000ULL; }
__device__ __forceinline__ double highest(double) { return INFINITY; }
__device__ __forceinline__ i64 highest(i64) { return 0x7fffffffffffffffLL; }
__device__ __forceinline__ double add(double a, double b) { return a + b; }
__device__ __forceinline__ i64 add(i64 a, i64 b) { return (i64) ((u64) a + (u64) b); }
__device__ __forceinline__ double max_of(double a, double b) { return java_max(a, b); }
__device__ __forceinline__ i64 max_of(i64 a, i64 b) { return a > b ? a : b; }
__device__ __forceinline__ double min_of(double a, double b) { return java_min(a, b); }
__device__ __forceinline__ i64 min_of(i64 a, i64 b) { return a < b ? a : b; }

#define NO_INDEX 0x7fffffffffffffffLL

template <typename A>
__device__ __forceinline__ Pair<A> identity(int op) {
    Pair<A> p;
    p.i = NO_INDEX;
    if (op == R_SUM) p.v = (A) 0;
    else if (op == R_MAX || op == R_ARGMAX) p.v = lowest((A) 0);
    else p.v = highest((A) 0);
    return p;
}

// Associative and commutative, so any reduction tree gives the same MAX / MIN / ARG* result:
// NaN wins (it propagates, as in Math.max), and ties go to the smaller index (the first one).
template <typename A>
__device__ __noinline__ Pair<A> combine(int op, Pair<A> a, Pair<A> b) {
    switch (op) {
        case R_SUM: a.v = add(a.v, b.v); return a;
        case R_MAX: a.v = max_of(a.v, b.v); return a;
        case R_MIN: a.v = min_of(a.v, b.v); return a;
        default: {
            bool an = is_nan(a.v), bn = is_nan(b.v);
            if (an || bn) return (an && bn) ? (a.i <= b.i ? a : b) : (an ? a : b);
            bool aWins = op == R_ARGMAX ? a.v > b.v : a.v < b.v;
            bool bWins = op == R_ARGMAX ? b.v > a.v : b.v < a.v;
            if (aWins) return a;
            if (bWins) return b;
            return a.i <= b.i ? a : b;
        }
    }
}

template <typename T>
__device__ __forceinline__ void write_result(int op, u64 out, i64 off, Pair<typename AccOf<T>::type> r) {
    typedef Elem<T> E;
    if (op == R_ARGMAX || op == R_ARGMIN) ((i64*) out)[off] = r.i == NO_INDEX ? 0 : r.i;
    else E::store((typename E::stored*) out, off, (typename E::value) r.v);
}

template <typename A>
__device__ __forceinline__ Pair<A> shfl_xor(Pair<A> p, int lane_mask) {
    Pair<A> q;
    q.v = __shfl_xor_sync(0xffffffffu, p.v, lane_mask);
    q.i = __shfl_xor_sync(0xffffffffu, p.i, lane_mask);
    return q;
}

// Reduces one value per thread of the block; the result is valid in thread 0. blockDim.x is a multiple of 32.
template <typename A>
__device__ Pair<A> block_reduce(int op, Pair<A> p, Pair<A>* smem) {
    int lane = threadIdx.x & 31, warp = threadIdx.x >> 5, warps = blockDim.x >> 5;
#pragma unroll
    for (int o = 16; o > 0; o >>= 1) p = combine(op, p, shfl_xor(p, o));
    if (lane == 0) smem[warp] = p;
    __syncthreads();
    if (warp == 0) {
        p = lane < warps ? smem[lane] : identity<A>(op);
#pragma unroll
        for (int o = 16; o > 0; o >>= 1) p = combine(op, p, shfl_xor(p, o));
    }
    __syncthreads();  // smem is reused by the next output
    return p;
}

struct ReduceArgs {
    Layout L;  // over the outputs; operands: 0 = out, 1 = in, the reduced axis left out
    u64 out, in, partial;
    i64 axisLen, axisStride, chunk;  // chunk: axis elements per split
    int op, splits;                  // splits > 1 writes partial results for reduce_finish
};
static_assert(sizeof(ReduceArgs) == 360, "see Kernel.java");

// One block per (output, split): for long axes, or when there are few outputs. Partial results go to
// partial[output * splits + split].
template <typename T>
__device__ void reduce_block_impl(const ReduceArgs& R) {
    typedef typename AccOf<T>::type A;
    __shared__ Pair<A> smem[32];
    i64 total = R.L.n * R.splits;
    for (i64 b = blockIdx.x; b < total; b += gridDim.x) {
        i64 o = b / R.splits;
        i64 s = b - o * R.splits;
        i64 off[2];
        offsets<2>(R.L, o, off);
        const typename Elem<T>::stored* in = (const typename Elem<T>::stored*) R.in + off[1];
        i64 end = min(R.axisLen, (s + 1) * R.chunk);
        Pair<A> acc = identity<A>(R.op);
        for (i64 k = s * R.chunk + threadIdx.x; k < end; k += blockDim.x) {
            Pair<A> e;
            e.v = (A) Elem<T>::load(in, k * R.axisStride);
            e.i = k;
            acc = combine(R.op, acc, e);
        }
        acc = block_reduce(R.op, acc, smem);
        if (threadIdx.x == 0) {
            if (R.splits == 1) write_result<T>(R.op, R.out, off[0], acc);
            else ((Pair<A>*) R.partial)[o * R.splits + s] = acc;
        }
    }
}

// One thread per (output, split), walking its part of the axis in order: for short axes with many outputs, and
// for strided axes, where consecutive threads take consecutive outputs so that their loads coalesce.
template <typename T>
__device__ void reduce_thread_impl(const ReduceArgs& R) {
    typedef typename AccOf<T>::type A;
    GRID_STRIDE_LOOP(i, R.L.n * R.splits) {
        i64 s = i / R.L.n;
        i64 o = i - s * R.L.n;
        i64 off[2];
        offsets<2>(R.L, o, off);
        const typename Elem<T>::stored* in = (const typename Elem<T>::stored*) R.in + off[1];
        i64 end = min(R.axisLen, (s + 1) * R.chunk);
        Pair<A> acc = identity<A>(R.op);
        for (i64 k = s * R.chunk; k < end; k++) {
            Pair<A> e;
            e.v = (A) Elem<T>::load(in, k * R.axisStride);
            e.i = k;
            acc = combine(R.op, acc, e);
        }
        if (R.splits == 1) write_result<T>(R.op, R.out, off[0], acc);
        else ((Pair<A>*) R.partial)[o * R.splits + s] = acc;
    }
}

// Second pass after reduce_block with splits > 1: one thread per output combines its partial results.
template <typename T>
__device__ void reduce_finish_impl(const ReduceArgs& R) {
    typedef typename AccOf<T>::type A;
    const Pair<A>* partial = (const Pair<A>*) R.partial;
    GRID_STRIDE_LOOP(o, R.L.n) {
        i64 off[2];
        offsets<2>(R.L, o, off);
        Pair<A> acc = identity<A>(R.op);
        for (int s = 0; s < R.splits; s++) acc = combine(R.op, acc, partial[o * R.splits + s]);
        write_result<T>(R.op, R.out, off[0], acc);
    }
}

// ---- softmax family: one warp per row, one pass for max and sum (online rescaling), one to write ----

// Adds x to a running (max, sum of exp(x - max)). -inf adds nothing; NaN poisons both.
__device__ __forceinline__ void online_add(double& m, double& s, double x) {
    if (x > m) {
        s = s * exp(m - x) + 1.0;
        m = x;
    } else if (x != x) {
        m = x;
        s = x;
    } else if (x != -INFINITY) {
        s += exp(x - m);
    }
}

__device__ __forceinline__ void online_merge(double& m, double& s, double m2, double s2) {
    double mm = (m != m || m2 != m2) ? m + m2 : fmax(m, m2);
    double a = m == -INFINITY ? 0.0 : s * exp(m - mm);
    double b = m2 == -INFINITY ? 0.0 : s2 * exp(m2 - mm);
    m = mm;
    s = a + b;
}

// The row's max and sum of exp(x - max), in every lane of the warp.
template <typename T>
__device__ __forceinline__ void row_max_sum(const typename Elem<T>::stored* row, i64 len, i64 stride, int lane, double& m,
                                            double& s) {
    m = -INFINITY;
    s = 0.0;
    for (i64 k = lane; k < len; k += 32) online_add(m, s, (double) Elem<T>::load(row, k * stride));
#pragma unroll 1  // once per row; unrolled, its ten exp() calls made the module slow to JIT
    for (int o = 16; o > 0; o >>= 1) {
        double m2 = __shfl_xor_sync(0xffffffffu, m, o);
        double s2 = __shfl_xor_sync(0xffffffffu, s, o);
        online_merge(m, s, m2, s2);
    }
}

#define WARP_LOOP(r, rows)                                                              \
    int lane = threadIdx.x & 31;                                                        \
    i64 firstWarp = ((i64) blockIdx.x * blockDim.x + threadIdx.x) >> 5;                 \
    i64 warpCount = ((i64) gridDim.x * blockDim.x) >> 5;                                \
    for (i64 r = firstWarp; r < (rows); r += warpCount)

struct SoftmaxArgs {
    Layout L;  // over rows; operands: 0 = out, 1 = in, the softmax axis left out
    u64 out, in;
    i64 axisLen, outStride, inStride;
    int log, pad;
};
static_assert(sizeof(SoftmaxArgs) == 352, "see Kernel.java");

template <typename T>
__device__ void softmax_impl(const SoftmaxArgs& S) {
    typedef Elem<T> E;
    typedef typename E::value V;
    WARP_LOOP(r, S.L.n) {
        i64 off[2];
        offsets<2>(S.L, r, off);
        const typename E::stored* in = (const typename E::stored*) S.in + off[1];
        typename E::stored* out = (typename E::stored*) S.out + off[0];
        double m, s;
        row_max_sum<T>(in, S.axisLen, S.inStride, lane, m, s);
        if (S.log) {
            double ls = log(s);
            for (i64 k = lane; k < S.axisLen; k += 32) {
                E::store(out, k * S.outStride, (V) (((double) E::load(in, k * S.inStride) - m) - ls));
            }
        } else {
            for (i64 k = lane; k < S.axisLen; k += 32) {
                E::store(out, k * S.outStride, (V) (exp((double) E::load(in, k * S.inStride) - m) / s));
            }
        }
    }
}

// ---- cross-entropy of logits [n, c] against int64 targets [n] ----

struct CrossEntropyArgs {
    u64 losses, logProbs, logits, targets, error;
    i64 n, c;
    i64 lossStride, lpStride0, lpStride1, logitStride0, logitStride1, targetStride;
};
static_assert(sizeof(CrossEntropyArgs) == 104, "see Kernel.java");

// Writes logProbs (log-softmax of each row) and losses[i] = -logProbs[i, target_i]; one warp per row.
template <typename T>
__device__ void cross_entropy_impl(const CrossEntropyArgs& E) {
    WARP_LOOP(i, E.n) {
        const T* row = (const T*) E.logits + i * E.logitStride0;
        T* lp = (T*) E.logProbs + i * E.lpStride0;
        double m, s;
        row_max_sum<T>(row, E.c, E.logitStride1, lane, m, s);
        double ls = log(s);
        for (i64 j = lane; j < E.c; j += 32) lp[j * E.lpStride1] = (T) (((double) row[j * E.logitStride1] - m) - ls);
        if (lane == 0) {
            i64 t = ((const i64*) E.targets)[i * E.targetStride];
            T loss;
            if (t < 0 || t >= E.c) {
                report_index_error(E.error, ERR_CROSS_ENTROPY, t, E.c);
                loss = (T) __longlong_as_double(0x7ff8000000000000LL);
            } else {
                // negate the stored (rounded) log-probability, exactly as the unfused version does
                loss = -(T) (((double) row[t * E.logitStride1] - m) - ls);
            }
            ((T*) E.losses)[i * E.lossStride] = loss;
        }
    }
}

struct CrossEntropyGradArgs {
    u64 gradLogits, logProbs, targets, gradLosses, error;
    i64 n, c;
    i64 gradStride0, gradStride1, lpStride0, lpStride1, targetStride, gradLossStride;
};
static_assert(sizeof(CrossEntropyGradArgs) == 104, "see Kernel.java");

// gradLogits[i, j] = gradLosses[i] * (exp(logProbs[i, j]) - [j == target_i]); one thread per element.
template <typename T>
__device__ void cross_entropy_grad_impl(const CrossEntropyGradArgs& G) {
    GRID_STRIDE_LOOP(e, G.n * G.c) {
        i64 i = e / G.c;
        i64 j = e - i * G.c;
        i64 t = ((const i64*) G.targets)[i * G.targetStride];
        if (j == 0 && (t < 0 || t >= G.c)) report_index_error(G.error, ERR_CROSS_ENTROPY, t, G.c);
        double p = exp((double) ((const T*) G.logProbs)[i * G.lpStride0 + j * G.lpStride1]);
        double g = (double) ((const T*) G.gradLosses)[i * G.gradLossStride];
        ((T*) G.gradLogits)[i * G.gradStride0 + j * G.gradStride1] = (T) (g * (j == t ? p - 1.0 : p));
    }
}

