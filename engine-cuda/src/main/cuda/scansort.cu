// Scans (cumsum, cumprod, logcumsumexp) and stable sorts along one axis: one thread per row along the axis, so
// every row is computed in order and the results do not depend on the launch shape.
#include "common.cuh"

// The ordinals of io.jgrad.spi.ScanOp.
#define SCAN_SUM 0
#define SCAN_PROD 1
#define SCAN_LOGSUMEXP 2

struct ScanArgs {
    Layout L;  // over the rows (in's shape without the axis); operands: 0 = out, 1 = in
    u64 out, in;
    i64 len, outStride, inStride;
    int op, pad;
};
static_assert(sizeof(ScanArgs) == 352, "see Kernel.java");

// Floating scans carry a double accumulator and round each output once; int64 wraps.
template <typename T> struct ScanAcc { typedef double type; };
template <> struct ScanAcc<i64> { typedef i64 type; };

__device__ __forceinline__ double scan_step(int op, double acc, double x) {
    if (op == SCAN_SUM) return acc + x;
    if (op == SCAN_PROD) return acc * x;
    // log(exp(acc) + exp(x)) without overflow; NaN propagates, two equal infinities give that infinity
    if (acc != acc || x != x) return acc + x;
    double hi = acc > x ? acc : x, lo = acc > x ? x : acc;
    if (hi == lo && isinf(hi)) return hi;
    return hi + log1p(exp(lo - hi));
}

__device__ __forceinline__ i64 scan_step(int op, i64 acc, i64 x) {
    return op == SCAN_PROD ? (i64) ((u64) acc * (u64) x) : (i64) ((u64) acc + (u64) x);
}

template <typename T>
__device__ void scan_impl(const ScanArgs& S) {
    typedef typename ScanAcc<T>::type A;
    GRID_STRIDE_LOOP(r, S.L.n) {
        i64 off[2];
        offsets<2>(S.L, r, off);
        T* out = (T*) S.out + off[0];
        const T* in = (const T*) S.in + off[1];
        A acc = (A) in[0];
        out[0] = (T) acc;
        for (i64 i = 1; i < S.len; i++) {
            acc = scan_step(S.op, acc, (A) in[i * S.inStride]);
            out[i * S.outStride] = (T) acc;
        }
    }
}

extern "C" __global__ void scan_f32(const ScanArgs S) { scan_impl<float>(S); }
extern "C" __global__ void scan_f64(const ScanArgs S) { scan_impl<double>(S); }
extern "C" __global__ void scan_i64(const ScanArgs S) { scan_impl<i64>(S); }

struct SortArgs {
    Layout L;  // over the rows; operands: 0 = values, 1 = indices, 2 = in
    u64 values, indices, in, scratch;  // scratch: 2 * len int64 per row
    i64 len, valuesStride, indicesStride, inStride;
    int descending, pad;
};
static_assert(sizeof(SortArgs) == 376, "see Kernel.java");

// x > y with NaN above every number (and not above another NaN); -0 equals 0.
template <typename T>
__device__ __forceinline__ bool greater(T x, T y) {
    if (x != x) return y == y;
    return x > y;
}
template <>
__device__ __forceinline__ bool greater<i64>(i64 x, i64 y) { return x > y; }

// Whether position b must come strictly before position a; ties keep their order, so the sort is stable.
template <typename T>
__device__ __forceinline__ bool comes_before(const T* in, i64 stride, i64 b, i64 a, int descending) {
    T x = in[b * stride], y = in[a * stride];
    return descending ? greater(x, y) : greater(y, x);
}

// A bottom-up merge sort of positions, ping-ponging between the row's two scratch halves.
template <typename T>
__device__ void sort_impl(const SortArgs& S) {
    const i64 len = S.len;
    GRID_STRIDE_LOOP(r, S.L.n) {
        i64 off[3];
        offsets<3>(S.L, r, off);
        const T* in = (const T*) S.in + off[2];
        i64* a = (i64*) S.scratch + r * 2 * len;
        i64* b = a + len;
        for (i64 i = 0; i < len; i++) a[i] = i;
        for (i64 width = 1; width < len; width *= 2) {
            for (i64 lo = 0; lo < len; lo += 2 * width) {
                i64 mid = lo + width < len ? lo + width : len;
                i64 hi = lo + 2 * width < len ? lo + 2 * width : len;
                i64 i = lo, j = mid, k = lo;
                while (i < mid && j < hi) b[k++] = comes_before(in, S.inStride, a[j], a[i], S.descending) ? a[j++] : a[i++];
                while (i < mid) b[k++] = a[i++];
                while (j < hi) b[k++] = a[j++];
            }
            i64* t = a;
            a = b;
            b = t;
        }
        T* values = (T*) S.values + off[0];
        i64* indices = (i64*) S.indices + off[1];
        for (i64 i = 0; i < len; i++) {
            i64 p = a[i];
            values[i * S.valuesStride] = in[p * S.inStride];
            indices[i * S.indicesStride] = p;
        }
    }
}

extern "C" __global__ void sort_f32(const SortArgs S) { sort_impl<float>(S); }
extern "C" __global__ void sort_f64(const SortArgs S) { sort_impl<double>(S); }
extern "C" __global__ void sort_i64(const SortArgs S) { sort_impl<i64>(S); }
