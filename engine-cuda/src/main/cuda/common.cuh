// Shared definitions for jgrad's CUDA kernels.
//
// Every kernel takes ONE struct by value, so the Java side packs all arguments into a single buffer and
// makes one cuLaunchKernel call. The structs use only naturally aligned fields; Java's ArgWriter applies the
// same alignment rules, and each struct's size is pinned by a static_assert that the Java Kernel enum repeats.
//
// Floating math is done in double and rounded once on store: for +, -, *, / and sqrt this gives exactly the
// float32 result, and for the transcendental functions it stays within float32 rounding of io.jgrad.spi.ScalarMath.
// Build with --fmad=false so that a * x + b rounds twice, as it does in Java.
#pragma once

#include "ops.cuh"

typedef long long i64;
typedef unsigned long long u64;
typedef unsigned char u8;  // a bool element: 0 or 1

#define JG_MAX_RANK 8
#define JG_MAX_OPERANDS 4

// An iteration space over up to 8 axes with the strides of up to 4 operands, all in elements.
// Axes are stored innermost first; Java has already dropped size-1 axes and merged axes that are
// contiguous for every operand, so a dense tensor arrives as rank 1.
struct Layout {
    i64 n;                                   // number of elements
    int rank;
    int pad;
    int shape[JG_MAX_RANK];
    i64 stride[JG_MAX_OPERANDS][JG_MAX_RANK];
};
static_assert(sizeof(Layout) == 304, "Layout size is shared with Java (ArgWriter.layout)");

// Offsets of element i (row-major order) for the first K operands. I is the index type: 32-bit when the
// space is small enough, because 64-bit division costs several times more.
template <int K, typename I>
__device__ __forceinline__ void layout_offsets(const Layout& L, I r, i64 (&off)[K]) {
#pragma unroll
    for (int k = 0; k < K; k++) off[k] = 0;
    // Not unrolled: the rank is small after merging, and unrolling 8 axes for every operand made the kernels so
    // large that the driver's JIT took seconds. The struct stays in the parameter bank (indexed constant loads).
#pragma unroll 1
    for (int d = 0; d < L.rank; d++) {
        I idx;
        if (d == L.rank - 1) {
            idx = r;  // the outermost axis takes the remaining quotient, no division needed
        } else {
            I s = (I) L.shape[d];
            I q = r / s;
            idx = r - q * s;
            r = q;
        }
#pragma unroll
        for (int k = 0; k < K; k++) off[k] += (i64) idx * L.stride[k][d];
    }
}

template <int K>
__device__ __forceinline__ void offsets(const Layout& L, i64 i, i64 (&off)[K]) {
    if (L.n <= 0xffffffffLL) layout_offsets<K, unsigned>(L, (unsigned) i, off);
    else layout_offsets<K, u64>(L, (u64) i, off);
}

#define GRID_STRIDE_LOOP(i, n) \
    for (i64 i = (i64) blockIdx.x * blockDim.x + threadIdx.x; i < (n); i += (i64) blockDim.x * gridDim.x)

// Where kernels report a bad index: the first writer wins, the host reads it at the next synchronisation.
struct ErrorInfo {
    int code;  // 0 = none, else an ErrorCode
    int pad;
    i64 value;
    i64 bound;
};
enum ErrorCode { ERR_GATHER = 1, ERR_SCATTER_ADD = 2, ERR_CROSS_ENTROPY = 3, ERR_DIVIDE_BY_ZERO = 4 };

__device__ __forceinline__ void report_index_error(u64 info, int code, i64 value, i64 bound) {
    ErrorInfo* e = (ErrorInfo*) info;
    if (atomicCAS(&e->code, 0, code) == 0) {
        e->value = value;
        e->bound = bound;
    }
}

// dtype codes shared with Java (CudaBackend.dtypeCode)
enum DTypeCode { DT_F32 = 0, DT_F64 = 1, DT_I64 = 2, DT_I32 = 3, DT_BOOL = 4, DT_F16 = 5, DT_BF16 = 6 };

__device__ __forceinline__ bool nonzero_at(u64 p, int dtype, i64 off) {
    switch (dtype) {
        case DT_F32: return ((const float*) p)[off] != 0.0f;
        case DT_F64: return ((const double*) p)[off] != 0.0;
        case DT_I32: return ((const int*) p)[off] != 0;
        case DT_BOOL: return ((const u8*) p)[off] != 0;
        case DT_F16: case DT_BF16: return (((const unsigned short*) p)[off] & 0x7fffu) != 0;  // all but +-0 (NaN too)
        default: return ((const i64*) p)[off] != 0;
    }
}

// ---- Java's semantics where C differs ----

// Math.max: NaN wins, and +0 beats -0.
__device__ __forceinline__ double java_max(double x, double y) {
    if (x != x) return x;
    if (y != y) return y;
    if (x > y) return x;
    if (y > x) return y;
    return signbit(x) ? y : x;
}

// Math.min: NaN wins, and -0 beats +0.
__device__ __forceinline__ double java_min(double x, double y) {
    if (x != x) return x;
    if (y != y) return y;
    if (x < y) return x;
    if (y < x) return y;
    return signbit(x) ? x : y;
}

// Math.pow differs from C's pow where y is NaN and where |x| == 1 and y is infinite: Java gives NaN.
__device__ __noinline__ double java_pow(double x, double y) {
    if (y == 0.0) return 1.0;
    if (y != y) return y;
    if (fabs(x) == 1.0 && isinf(y)) return __longlong_as_double(0x7ff8000000000000LL);
    return pow(x, y);
}

__device__ __forceinline__ double java_signum(double x) {
    return x > 0.0 ? 1.0 : (x < 0.0 ? -1.0 : x);  // keeps +-0 and NaN, like Math.signum
}

// Java's (long) cast: truncation, NaN -> 0, saturation at the ends of the range.
__device__ __forceinline__ i64 java_to_long(double x) {
    if (x != x) return 0;
    if (x >= 9.2233720368547758e18) return 0x7fffffffffffffffLL;
    if (x <= -9.2233720368547758e18) return (i64) 0x8000000000000000ULL;
    return (i64) x;
}

// Java's (int) cast of a double: truncation, NaN -> 0, saturation.
__device__ __forceinline__ int java_to_int(double x) {
    if (x != x) return 0;
    if (x >= 2147483647.0) return 2147483647;
    if (x <= -2147483648.0) return (int) 0x80000000u;
    return (int) x;
}

__device__ __forceinline__ double sigmoid(double x) {
    if (x >= 0) return 1.0 / (1.0 + exp(-x));
    double e = exp(x);
    return e / (1.0 + e);
}

#define JG_INV_SQRT_2 0.7071067811865476
#define JG_INV_SQRT_2PI 0.3989422804014327

__device__ __forceinline__ double gelu(double x) {
    return 0.5 * x * (1.0 + erf(x * JG_INV_SQRT_2));
}

__device__ __forceinline__ double gelu_grad(double x) {
    double cdf = 0.5 * (1.0 + erf(x * JG_INV_SQRT_2));
    return cdf + x * JG_INV_SQRT_2PI * exp(-0.5 * x * x);
}

// GELU's tanh approximation and its derivative, in PyTorch's order of operations (ScalarMath.geluTanh).
#define JG_GELU_TANH_BETA 0.7978845608028654
#define JG_GELU_TANH_KAPPA 0.044715

__device__ __forceinline__ double gelu_tanh(double x) {
    double inner = JG_GELU_TANH_BETA * (x + JG_GELU_TANH_KAPPA * (x * x * x));
    return 0.5 * x * (1.0 + tanh(inner));
}

__device__ __forceinline__ double gelu_tanh_grad(double x) {
    double x2 = x * x;
    double t = tanh(JG_GELU_TANH_BETA * (x + JG_GELU_TANH_KAPPA * (x2 * x)));
    return 0.5 * (1.0 + t) + 0.5 * x * (1.0 - t * t) * (JG_GELU_TANH_BETA * (1.0 + 3.0 * JG_GELU_TANH_KAPPA * x2));
}

// SELU's constants (ScalarMath.SELU_ALPHA, SELU_SCALE).
#define JG_SELU_ALPHA 1.6732632423543772848170429916717
#define JG_SELU_SCALE 1.0507009873554804934193349852946

// The unary kernel bodies: one case per io.jgrad.spi.UnaryOp, matching its declared reference math. The codes
// come from the generated ops.cuh.
__device__ __noinline__ double unary_math(int op, double x, double a, double b) {
    switch (op) {
        case U_NEG: return -x;
        case U_EXP: return exp(x);
        case U_LOG: return log(x);
        case U_SQRT: return sqrt(x);
        case U_RSQRT: return 1.0 / sqrt(x);
        case U_TANH: return tanh(x);
        case U_SIGMOID: return sigmoid(x);
        case U_RELU: return x < 0.0 ? 0.0 : x;  // NaN and -0 pass, as PyTorch
        case U_GELU: return gelu(x);
        case U_GELU_GRAD: return gelu_grad(x);
        case U_ABS: return fabs(x);
        case U_SIGN: return java_signum(x);
        case U_RECIPROCAL: return 1.0 / x;
        case U_SQUARE: return x * x;
        case U_SIN: return sin(x);
        case U_COS: return cos(x);
        case U_STEP: return x > 0.0 ? 1.0 : 0.0;
        case U_POW: return java_pow(x, a);
        case U_CLAMP: return java_min(java_max(x, a), b);
        case U_AFFINE: return a * x + b;
        case U_RDIV: return a / x;
        case U_LEAKY_RELU: return x > 0.0 ? x : a * x;
        case U_LOG1P: return log1p(x);
        case U_EXPM1: return expm1(x);
        case U_SOFTPLUS: return x * a > b ? x : log1p(exp(a * x)) / a;
        case U_SILU: return x / (1.0 + exp(-x));
        case U_ELU: return x > 0.0 ? x : a * expm1(x);
        case U_SELU: return x > 0.0 ? x * JG_SELU_SCALE : expm1(x) * (JG_SELU_ALPHA * JG_SELU_SCALE);
        case U_MISH: return x * tanh(log1p(exp(x)));
        case U_HARDTANH: return java_min(java_max(x, a), b);
        case U_HARDSIGMOID: return java_min(java_max(x + 3.0, 0.0), 6.0) / 6.0;
        case U_HARDSWISH: return x * java_min(java_max(x + 3.0, 0.0), 6.0) / 6.0;
        case U_GELU_TANH: return gelu_tanh(x);
        case U_GELU_TANH_GRAD: return gelu_tanh_grad(x);
        case U_ERF: return erf(x);
        case U_FLOOR: return floor(x);
        case U_CEIL: return ceil(x);
        case U_ROUND: return rint(x);  // half to even
        case U_TRUNC: return trunc(x);
        case U_TAN: return tan(x);
        case U_ASIN: return asin(x);
        case U_ACOS: return acos(x);
        case U_ATAN: return atan(x);
        case U_SINH: return sinh(x);
        case U_COSH: return cosh(x);
        default: return x;  // U_IDENTITY
    }
}

// Warp-wide sum of a double.
__device__ __forceinline__ double warp_sum(double v) {
#pragma unroll
    for (int o = 16; o > 0; o >>= 1) v += __shfl_xor_sync(0xffffffffu, v, o);
    return v;
}
