// Strided element-wise kernels: unary, binary, where, copy (with dtype conversion), fill and bias+activation.
// Element types: float (f32), double (f64), i64, int (i32) and u8 (bool, 0 or 1).
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

// The binary op codes (B_ADD, ...) come from the generated ops.cuh.

// ScalarMath.floorDivide: from fmod, as PyTorch computes it.
__device__ __noinline__ double floor_divide(double x, double y) {
    if (y == 0.0) return x / y;
    double mod = fmod(x, y);
    double div = (x - mod) / y;
    if (mod != 0.0 && (y < 0.0) != (mod < 0.0)) div -= 1.0;
    if (div == 0.0) return copysign(0.0, x / y);
    double f = floor(div);
    return div - f > 0.5 ? f + 1.0 : f;
}

// ScalarMath.remainder: the sign of the divisor.
__device__ __forceinline__ double remainder_of(double x, double y) {
    double mod = fmod(x, y);
    return mod != 0.0 && (y < 0.0) != (mod < 0.0) ? mod + y : mod;
}

__device__ __forceinline__ double binary_value(int op, double x, double y, u64 error) {
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
        case B_GE: return x >= y ? 1.0 : 0.0;
        case B_FLOOR_DIVIDE: return floor_divide(x, y);
        case B_REMAINDER: return remainder_of(x, y);
        case B_LOGICAL_AND: return x != 0.0 && y != 0.0 ? 1.0 : 0.0;
        case B_ATAN2: return atan2(x, y);
        case B_FMOD: return fmod(x, y);
        default: return x != 0.0 || y != 0.0 ? 1.0 : 0.0;  // B_LOGICAL_OR
    }
}

__device__ __forceinline__ double binary_value(int op, float x, float y, u64 error) {
    return binary_value(op, (double) x, (double) y, error);
}

// Integer arithmetic wraps (two's complement, like Java); floor division and remainder follow Python (the
// remainder takes the divisor's sign), fmod follows C (the dividend's sign); the three report a zero divisor through the ErrorInfo block, writing 0.
// DIV, POW and ATAN2 are refused on the Java side.
template <typename I, typename U>
__device__ __forceinline__ I integer_value(int op, I x, I y, u64 error) {
    switch (op) {
        case B_ADD: return (I) ((U) x + (U) y);
        case B_SUB: return (I) ((U) x - (U) y);
        case B_MUL: return (I) ((U) x * (U) y);
        case B_MAX: return x > y ? x : y;
        case B_MIN: return x < y ? x : y;
        case B_EQ: return x == y;
        case B_NE: return x != y;
        case B_LT: return x < y;
        case B_LE: return x <= y;
        case B_GT: return x > y;
        case B_GE: return x >= y;
        case B_LOGICAL_AND: return x != 0 && y != 0;
        case B_LOGICAL_OR: return x != 0 || y != 0;
        case B_FLOOR_DIVIDE: {
            if (y == 0) { report_index_error(error, ERR_DIVIDE_BY_ZERO, (i64) x, 0); return 0; }
            if (y == -1) return (I) ((U) 0 - (U) x);  // MIN / -1 wraps to MIN, as Java's Math.floorDiv
            I q = x / y;
            return (x % y != 0 && ((x < 0) != (y < 0))) ? q - 1 : q;
        }
        case B_REMAINDER: {
            if (y == 0) { report_index_error(error, ERR_DIVIDE_BY_ZERO, (i64) x, 0); return 0; }
            if (y == -1) return 0;
            I r = x % y;
            return (r != 0 && ((r < 0) != (y < 0))) ? r + y : r;
        }
        case B_FMOD: {  // C's %: the sign of the dividend
            if (y == 0) { report_index_error(error, ERR_DIVIDE_BY_ZERO, (i64) x, 0); return 0; }
            if (y == -1) return 0;
            return x % y;
        }
        default: return 0;
    }
}

__device__ __forceinline__ i64 binary_value(int op, i64 x, i64 y, u64 error) {
    return integer_value<i64, u64>(op, x, y, error);
}

__device__ __forceinline__ int binary_value(int op, int x, int y, u64 error) {
    return integer_value<int, unsigned>(op, x, y, error);
}

// bool: add and max are or, mul and min are and; false < true.
__device__ __forceinline__ u8 binary_value(int op, u8 x, u8 y, u64 error) {
    switch (op) {
        case B_ADD: case B_MAX: case B_LOGICAL_OR: return x | y;
        case B_MUL: case B_MIN: case B_LOGICAL_AND: return x & y;
        default: return (u8) integer_value<int, unsigned>(op, (int) x, (int) y, error);
    }
}

// ---- conversions: Java's casts, and != 0 to bool (NaN is true) ----

template <typename TO, typename TI>
__device__ __forceinline__ TO convert(TI v) { return (TO) v; }
template <>
__device__ __forceinline__ i64 convert<i64, float>(float v) { return java_to_long((double) v); }
template <>
__device__ __forceinline__ i64 convert<i64, double>(double v) { return java_to_long(v); }
template <>
__device__ __forceinline__ int convert<int, float>(float v) { return java_to_int((double) v); }
template <>
__device__ __forceinline__ int convert<int, double>(double v) { return java_to_int(v); }
template <>
__device__ __forceinline__ u8 convert<u8, float>(float v) { return v != 0.0f; }
template <>
__device__ __forceinline__ u8 convert<u8, double>(double v) { return v != 0.0; }
template <>
__device__ __forceinline__ u8 convert<u8, i64>(i64 v) { return v != 0; }
template <>
__device__ __forceinline__ u8 convert<u8, int>(int v) { return v != 0; }

struct BinaryArgs {
    Layout L;  // operands: 0 = out, 1 = x, 2 = y
    u64 out, x, y, error;
    int op, pad;
};
static_assert(sizeof(BinaryArgs) == 344, "see Kernel.java");

template <typename TI, typename TO>
__device__ void binary_impl(const BinaryArgs& A) {
    TO* out = (TO*) A.out;
    const TI* x = (const TI*) A.x;
    const TI* y = (const TI*) A.y;
    GRID_STRIDE_LOOP(i, A.L.n) {
        i64 off[3];
        offsets<3>(A.L, i, off);
        auto v = binary_value(A.op, x[off[1]], y[off[2]], A.error);
        out[off[0]] = convert<TO, decltype(v)>(v);
    }
}

// One kernel per pair of element types: binary_<operand dtype>_<output dtype> and copy_<output dtype>_<input dtype>.
// Arithmetic uses the pairs of equal types; comparisons and logical ops write any type, bool at the API.
#define JG_FOR_EACH_PAIR(M) \
    M(f32, float, f32, float) M(f32, float, f64, double) M(f32, float, i64, i64) M(f32, float, i32, int) M(f32, float, bool, u8) \
    M(f64, double, f32, float) M(f64, double, f64, double) M(f64, double, i64, i64) M(f64, double, i32, int) M(f64, double, bool, u8) \
    M(i64, i64, f32, float) M(i64, i64, f64, double) M(i64, i64, i64, i64) M(i64, i64, i32, int) M(i64, i64, bool, u8) \
    M(i32, int, f32, float) M(i32, int, f64, double) M(i32, int, i64, i64) M(i32, int, i32, int) M(i32, int, bool, u8) \
    M(bool, u8, f32, float) M(bool, u8, f64, double) M(bool, u8, i64, i64) M(bool, u8, i32, int) M(bool, u8, bool, u8)

#define JG_BINARY(a, TA, b, TB) \
    extern "C" __global__ void binary_##a##_##b(const BinaryArgs A) { binary_impl<TA, TB>(A); }
JG_FOR_EACH_PAIR(JG_BINARY)

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
extern "C" __global__ void where_i32(const WhereArgs A) { where_impl<int>(A); }
extern "C" __global__ void where_bool(const WhereArgs A) { where_impl<u8>(A); }

// ---- copy with conversion ----

struct CopyArgs {
    Layout L;  // operands: 0 = out, 1 = in
    u64 out, in;
};
static_assert(sizeof(CopyArgs) == 320, "see Kernel.java");

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

#define JG_COPY(a, TA, b, TB) \
    extern "C" __global__ void copy_##a##_##b(const CopyArgs A) { copy_impl<TA, TB>(A); }
JG_FOR_EACH_PAIR(JG_COPY)

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
extern "C" __global__ void fill_i32(const FillArgs A) { fill_impl<int>(A, java_to_int(A.value)); }
extern "C" __global__ void fill_bool(const FillArgs A) { fill_impl<u8>(A, (u8) (A.value != 0.0)); }

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
