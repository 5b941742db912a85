// Strided element-wise kernels: unary, binary, where, copy (with dtype conversion), fill and bias+activation.
#include "common.cuh"

// ---- unary ----

struct UnaryArgs {
    Layout L;  // operands: 0 = out, 1 = in
    u64 out, in;
    double a, b;
    int op, pad;
};
static_assert(sizeof(UnaryArgs) == 344, "see Kernel.java");

template <typename T>
__device__ void unary_impl(const UnaryArgs& A) {
    T* out = (T*) A.out;
    const T* in = (const T*) A.in;
    GRID_STRIDE_LOOP(i, A.L.n) {
        i64 off[2];
        offsets<2>(A.L, i, off);
        out[off[0]] = (T) unary_math(A.op, (double) in[off[1]], A.a, A.b);
    }
}

extern "C" __global__ void unary_f32(const UnaryArgs A) { unary_impl<float>(A); }
extern "C" __global__ void unary_f64(const UnaryArgs A) { unary_impl<double>(A); }

// ---- binary ----

__device__ __forceinline__ double binary_value(int op, double x, double y) {
    switch (op) {
        case B_ADD: return x + y;
        case B_SUB: return x - y;
        case B_MUL: return x * y;
        case B_DIV: return x / y;
        case B_POW: return java_pow(x, y);
        case B_MAX: return java_max(x, y);
        case B_MIN: return java_min(x, y);
        case B_EQ: return x == y ? 1.0 : 0.0;
        case B_NE: return x != y ? 1.0 : 0.0;
        case B_LT: return x < y ? 1.0 : 0.0;
        case B_LE: return x <= y ? 1.0 : 0.0;
        case B_GT: return x > y ? 1.0 : 0.0;
        default: return x >= y ? 1.0 : 0.0;
    }
}

__device__ __forceinline__ double binary_value(int op, float x, float y) {
    return binary_value(op, (double) x, (double) y);
}

// int64 arithmetic wraps like Java's long; DIV and POW are refused on the Java side.
__device__ __forceinline__ i64 binary_value(int op, i64 x, i64 y) {
    switch (op) {
        case B_ADD: return (i64) ((u64) x + (u64) y);
        case B_SUB: return (i64) ((u64) x - (u64) y);
        case B_MUL: return (i64) ((u64) x * (u64) y);
        case B_MAX: return x > y ? x : y;
        case B_MIN: return x < y ? x : y;
        case B_EQ: return x == y;
        case B_NE: return x != y;
        case B_LT: return x < y;
        case B_LE: return x <= y;
        case B_GT: return x > y;
        case B_GE: return x >= y;
        default: return 0;
    }
}

struct BinaryArgs {
    Layout L;  // operands: 0 = out, 1 = x, 2 = y
    u64 out, x, y;
    int op, pad;
};
static_assert(sizeof(BinaryArgs) == 336, "see Kernel.java");

template <typename TI, typename TO>
__device__ void binary_impl(const BinaryArgs& A) {
    TO* out = (TO*) A.out;
    const TI* x = (const TI*) A.x;
    const TI* y = (const TI*) A.y;
    GRID_STRIDE_LOOP(i, A.L.n) {
        i64 off[3];
        offsets<3>(A.L, i, off);
        out[off[0]] = (TO) binary_value(A.op, x[off[1]], y[off[2]]);
    }
}

// binary_<operand dtype>_<output dtype>; the mixed ones serve comparisons.
extern "C" __global__ void binary_f32_f32(const BinaryArgs A) { binary_impl<float, float>(A); }
extern "C" __global__ void binary_f32_f64(const BinaryArgs A) { binary_impl<float, double>(A); }
extern "C" __global__ void binary_f32_i64(const BinaryArgs A) { binary_impl<float, i64>(A); }
extern "C" __global__ void binary_f64_f32(const BinaryArgs A) { binary_impl<double, float>(A); }
extern "C" __global__ void binary_f64_f64(const BinaryArgs A) { binary_impl<double, double>(A); }
extern "C" __global__ void binary_f64_i64(const BinaryArgs A) { binary_impl<double, i64>(A); }
extern "C" __global__ void binary_i64_f32(const BinaryArgs A) { binary_impl<i64, float>(A); }
extern "C" __global__ void binary_i64_f64(const BinaryArgs A) { binary_impl<i64, double>(A); }
extern "C" __global__ void binary_i64_i64(const BinaryArgs A) { binary_impl<i64, i64>(A); }

// ---- ReLU backward: out = output <= 0 ? 0 : grad (a NaN output passes the gradient) ----

struct ReluBackwardArgs {
    Layout L;  // operands: 0 = out, 1 = grad, 2 = output
    u64 out, grad, output;
};
static_assert(sizeof(ReluBackwardArgs) == 328, "see Kernel.java");

template <typename T>
__device__ void relu_backward_impl(const ReluBackwardArgs& A) {
    T* out = (T*) A.out;
    const T* grad = (const T*) A.grad;
    const T* output = (const T*) A.output;
    GRID_STRIDE_LOOP(i, A.L.n) {
        i64 off[3];
        offsets<3>(A.L, i, off);
        out[off[0]] = output[off[2]] <= (T) 0 ? (T) 0 : grad[off[1]];
    }
}

extern "C" __global__ void relu_backward_f32(const ReluBackwardArgs A) { relu_backward_impl<float>(A); }
extern "C" __global__ void relu_backward_f64(const ReluBackwardArgs A) { relu_backward_impl<double>(A); }

// ---- where ----

struct WhereArgs {
    Layout L;  // operands: 0 = out, 1 = condition, 2 = x, 3 = y
    u64 out, cond, x, y;
    int condDtype, pad;
};
static_assert(sizeof(WhereArgs) == 344, "see Kernel.java");

template <typename T>
__device__ void where_impl(const WhereArgs& A) {
    T* out = (T*) A.out;
    const T* x = (const T*) A.x;
    const T* y = (const T*) A.y;
    GRID_STRIDE_LOOP(i, A.L.n) {
        i64 off[4];
        offsets<4>(A.L, i, off);
        out[off[0]] = nonzero_at(A.cond, A.condDtype, off[1]) ? x[off[2]] : y[off[3]];
    }
}

extern "C" __global__ void where_f32(const WhereArgs A) { where_impl<float>(A); }
extern "C" __global__ void where_f64(const WhereArgs A) { where_impl<double>(A); }
extern "C" __global__ void where_i64(const WhereArgs A) { where_impl<i64>(A); }

// ---- copy with conversion ----

struct CopyArgs {
    Layout L;  // operands: 0 = out, 1 = in
    u64 out, in;
};
static_assert(sizeof(CopyArgs) == 320, "see Kernel.java");

template <typename TO, typename TI>
__device__ __forceinline__ TO convert(TI v) { return (TO) v; }
template <>
__device__ __forceinline__ i64 convert<i64, float>(float v) { return java_to_long((double) v); }
template <>
__device__ __forceinline__ i64 convert<i64, double>(double v) { return java_to_long(v); }

template <typename TO, typename TI>
__device__ void copy_impl(const CopyArgs& A) {
    TO* out = (TO*) A.out;
    const TI* in = (const TI*) A.in;
    GRID_STRIDE_LOOP(i, A.L.n) {
        i64 off[2];
        offsets<2>(A.L, i, off);
        out[off[0]] = convert<TO, TI>(in[off[1]]);
    }
}

// copy_<output dtype>_<input dtype>
extern "C" __global__ void copy_f32_f32(const CopyArgs A) { copy_impl<float, float>(A); }
extern "C" __global__ void copy_f32_f64(const CopyArgs A) { copy_impl<float, double>(A); }
extern "C" __global__ void copy_f32_i64(const CopyArgs A) { copy_impl<float, i64>(A); }
extern "C" __global__ void copy_f64_f32(const CopyArgs A) { copy_impl<double, float>(A); }
extern "C" __global__ void copy_f64_f64(const CopyArgs A) { copy_impl<double, double>(A); }
extern "C" __global__ void copy_f64_i64(const CopyArgs A) { copy_impl<double, i64>(A); }
extern "C" __global__ void copy_i64_f32(const CopyArgs A) { copy_impl<i64, float>(A); }
extern "C" __global__ void copy_i64_f64(const CopyArgs A) { copy_impl<i64, double>(A); }
extern "C" __global__ void copy_i64_i64(const CopyArgs A) { copy_impl<i64, i64>(A); }

// ---- fill ----

struct FillArgs {
    Layout L;  // operands: 0 = out
    u64 out;
    double value;
    i64 longValue;  // the value as Java's (long) cast gives it, for int64 outputs
};
static_assert(sizeof(FillArgs) == 328, "see Kernel.java");

template <typename T>
__device__ void fill_impl(const FillArgs& A, T v) {
    T* out = (T*) A.out;
    GRID_STRIDE_LOOP(i, A.L.n) {
        i64 off[1];
        offsets<1>(A.L, i, off);
        out[off[0]] = v;
    }
}

extern "C" __global__ void fill_f32(const FillArgs A) { fill_impl<float>(A, (float) A.value); }
extern "C" __global__ void fill_f64(const FillArgs A) { fill_impl<double>(A, A.value); }
extern "C" __global__ void fill_i64(const FillArgs A) { fill_impl<i64>(A, A.longValue); }

// ---- bias + activation ----

struct BiasActArgs {
    Layout L;  // operands: 0 = out, 1 = x, 2 = bias (broadcast)
    u64 out, x, bias;
    int act, pad;  // a UnaryCode, or U_IDENTITY
};
static_assert(sizeof(BiasActArgs) == 336, "see Kernel.java");

template <typename T>
__device__ void bias_act_impl(const BiasActArgs& A) {
    T* out = (T*) A.out;
    const T* x = (const T*) A.x;
    const T* bias = (const T*) A.bias;
    GRID_STRIDE_LOOP(i, A.L.n) {
        i64 off[3];
        offsets<3>(A.L, i, off);
        // round the sum to T first, as the unfused add-then-activate does
        T s = (T) ((double) x[off[1]] + (double) bias[off[2]]);
        out[off[0]] = (T) unary_math(A.act, (double) s, 0.0, 0.0);
    }
}

extern "C" __global__ void bias_act_f32(const BiasActArgs A) { bias_act_impl<float>(A); }
extern "C" __global__ void bias_act_f64(const BiasActArgs A) { bias_act_impl<double>(A); }
