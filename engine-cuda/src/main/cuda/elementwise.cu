// The strided element-wise kernels (templates in elementwise.cuh) for float (f32), double (f64), i64, int (i32) and
// u8 (bool, 0 or 1); half_ops.cu instantiates the same templates for float16 and bfloat16 storage.
#include "elementwise.cuh"

extern "C" __global__ void unary_f32(const UnaryArgs A) { unary_impl<float>(A); }
extern "C" __global__ void unary_f64(const UnaryArgs A) { unary_impl<double>(A); }

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

extern "C" __global__ void relu_backward_f32(const ReluBackwardArgs A) { relu_backward_impl<float>(A); }
extern "C" __global__ void relu_backward_f64(const ReluBackwardArgs A) { relu_backward_impl<double>(A); }

extern "C" __global__ void gelu_backward_f32(const GeluBackwardArgs A) { gelu_backward_impl<float>(A); }
extern "C" __global__ void gelu_backward_f64(const GeluBackwardArgs A) { gelu_backward_impl<double>(A); }

extern "C" __global__ void where_f32(const WhereArgs A) { where_impl<float>(A); }
extern "C" __global__ void where_f64(const WhereArgs A) { where_impl<double>(A); }
extern "C" __global__ void where_i64(const WhereArgs A) { where_impl<i64>(A); }
extern "C" __global__ void where_i32(const WhereArgs A) { where_impl<int>(A); }
extern "C" __global__ void where_bool(const WhereArgs A) { where_impl<u8>(A); }

#define JG_COPY(a, TA, b, TB) \
    extern "C" __global__ void copy_##a##_##b(const CopyArgs A) { copy_impl<TA, TB>(A); }
JG_FOR_EACH_PAIR(JG_COPY)

extern "C" __global__ void fill_f32(const FillArgs A) { fill_impl<float>(A, (float) A.value); }
extern "C" __global__ void fill_f64(const FillArgs A) { fill_impl<double>(A, A.value); }
extern "C" __global__ void fill_i64(const FillArgs A) { fill_impl<i64>(A, A.longValue); }
extern "C" __global__ void fill_i32(const FillArgs A) { fill_impl<int>(A, java_to_int(A.value)); }
extern "C" __global__ void fill_bool(const FillArgs A) { fill_impl<u8>(A, (u8) (A.value != 0.0)); }

extern "C" __global__ void bias_act_f32(const BiasActArgs A) { bias_act_impl<float>(A); }
extern "C" __global__ void bias_act_f64(const BiasActArgs A) { bias_act_impl<double>(A); }
