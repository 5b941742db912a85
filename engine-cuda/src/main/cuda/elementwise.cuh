// Strided element-wise kernel templates: unary, binary, where, copy (with dtype conversion), fill, bias+activation and
// the ReLU and GELU backward passes. elementwise.cu instantiates them for float (f32), double (f64), i64, int (i32) and
// u8 (bool, 0 or 1); half_ops.cu for F16 and BF16 storage (element.cuh: loaded as float, the float result rounded once).
#pragma once

#include "common.cuh"
#include "element.cuh"

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
    typedef Elem<T> E;
    typedef typename E::value V;
    typename E::stored* out = (typename E::stored*) A.out;
    const typename E::stored* in = (const typename E::stored*) A.in;
    GRID_STRIDE_LOOP(i, A.L.n) {
        i64 off[2];
        offsets<2>(A.L, i, off);
        E::store(out, off[0], (V) unary_math(A.op, (double) E::load(in, off[1]), A.a, A.b));
    }
}

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

// TI: the operands' element type, TO: the output's; a half TI is computed as float, and a half TO rounds the float value.
template <typename TI, typename TO>
__device__ void binary_impl(const BinaryArgs& A) {
    typedef Elem<TI> EI;
    typedef Elem<TO> EO;
    typename EO::stored* out = (typename EO::stored*) A.out;
    const typename EI::stored* x = (const typename EI::stored*) A.x;
    const typename EI::stored* y = (const typename EI::stored*) A.y;
    GRID_STRIDE_LOOP(i, A.L.n) {
        i64 off[3];
        offsets<3>(A.L, i, off);
        auto v = binary_value(A.op, EI::load(x, off[1]), EI::load(y, off[2]), A.error);
        EO::store(out, off[0], convert<typename EO::value, decltype(v)>(v));
    }
}

// ---- ReLU backward: out = output <= 0 ? 0 : grad (a NaN output passes the gradient) ----

struct ReluBackwardArgs {
    Layout L;  // operands: 0 = out, 1 = grad, 2 = output
    u64 out, grad, output;
};
static_assert(sizeof(ReluBackwardArgs) == 328, "see Kernel.java");

template <typename T>
__device__ void relu_backward_impl(const ReluBackwardArgs& A) {
    typedef Elem<T> E;
    typedef typename E::value V;
    typename E::stored* out = (typename E::stored*) A.out;
    const typename E::stored* grad = (const typename E::stored*) A.grad;
    const typename E::stored* output = (const typename E::stored*) A.output;
    GRID_STRIDE_LOOP(i, A.L.n) {
        i64 off[3];
        offsets<3>(A.L, i, off);
        E::store(out, off[0], E::load(output, off[2]) <= (V) 0 ? (V) 0 : E::load(grad, off[1]));
    }
}

// ---- GELU backward, fused: gradX = grad * act'(x + bias), each step rounded to the value type as the unfused
// add, derivative and multiply round (Backend.geluBackward's default), so the result is that default's, bit for bit ----

struct GeluBackwardArgs {
    Layout L;  // operands: 0 = gradX, 1 = grad, 2 = x, 3 = bias (broadcast; x again without a bias)
    u64 gradX, grad, x, bias;
    int act, hasBias;  // act: U_GELU_GRAD or U_GELU_TANH_GRAD
};
static_assert(sizeof(GeluBackwardArgs) == 344, "see Kernel.java");

template <typename T>
__device__ void gelu_backward_impl(const GeluBackwardArgs& A) {
    typedef Elem<T> E;
    typedef typename E::value V;
    typename E::stored* gradX = (typename E::stored*) A.gradX;
    const typename E::stored* grad = (const typename E::stored*) A.grad;
    const typename E::stored* x = (const typename E::stored*) A.x;
    const typename E::stored* bias = (const typename E::stored*) A.bias;
    GRID_STRIDE_LOOP(i, A.L.n) {
        i64 off[4];
        offsets<4>(A.L, i, off);
        V s = A.hasBias ? (V) ((double) E::load(x, off[2]) + (double) E::load(bias, off[3])) : E::load(x, off[2]);
        V d = (V) unary_math(A.act, (double) s, 0.0, 0.0);
        E::store(gradX, off[0], (V) ((double) d * (double) E::load(grad, off[1])));
    }
}

// ---- where ----

struct WhereArgs {
    Layout L;  // operands: 0 = out, 1 = condition, 2 = x, 3 = y
    u64 out, cond, x, y;
    int condDtype, pad;
};
static_assert(sizeof(WhereArgs) == 344, "see Kernel.java");

// A half x or y passes through float (a signalling NaN comes out quiet), as in the float32 kernel through HalfOperands.
template <typename T>
__device__ void where_impl(const WhereArgs& A) {
    typedef Elem<T> E;
    typename E::stored* out = (typename E::stored*) A.out;
    const typename E::stored* x = (const typename E::stored*) A.x;
    const typename E::stored* y = (const typename E::stored*) A.y;
    GRID_STRIDE_LOOP(i, A.L.n) {
        i64 off[4];
        offsets<4>(A.L, i, off);
        E::store(out, off[0], nonzero_at(A.cond, A.condDtype, off[1]) ? E::load(x, off[2]) : E::load(y, off[3]));
    }
}

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

// ---- bias + activation ----

struct BiasActArgs {
    Layout L;  // operands: 0 = out, 1 = x, 2 = bias (broadcast)
    u64 out, x, bias;
    int act, pad;  // a UnaryCode, or U_IDENTITY
};
static_assert(sizeof(BiasActArgs) == 336, "see Kernel.java");

template <typename T>
__device__ void bias_act_impl(const BiasActArgs& A) {
    typedef Elem<T> E;
    typedef typename E::value V;
    typename E::stored* out = (typename E::stored*) A.out;
    const typename E::stored* x = (const typename E::stored*) A.x;
    const typename E::stored* bias = (const typename E::stored*) A.bias;
    GRID_STRIDE_LOOP(i, A.L.n) {
        i64 off[3];
        offsets<3>(A.L, i, off);
        // round the sum to the value type first, as the unfused add-then-activate does
        V s = (V) ((double) E::load(x, off[1]) + (double) E::load(bias, off[2]));
        E::store(out, off[0], (V) unary_math(A.act, (double) s, 0.0, 0.0));
    }
}
