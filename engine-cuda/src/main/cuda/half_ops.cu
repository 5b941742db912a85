// Native float16 and bfloat16 kernels: the float32 templates of elementwise.cuh and reduce.cuh instantiated for half
// storage (element.cuh). Each loads a half element as its exact float value, computes exactly what the float32 kernel
// computes (in double, rounded to float where the float32 kernel rounds; reductions accumulate in double) and rounds
// the float result once to nearest even, as io.jgrad.HalfFloat: the float32 kernel's result through HalfOperands, bit
// for bit, in one pass over half the memory. scripts/check-half-ops-host.sh runs them on the host against the float32
// kernels. Strided and broadcast views as every kernel takes them; the reductions choose their strategy (a thread or a
// block per output, splits) as the float32 ones do, from the view's own strides.
#include "elementwise.cuh"
#include "reduce.cuh"

#define JG_HALF_KERNELS(h, H) \
    extern "C" __global__ void unary_##h(const UnaryArgs A) { unary_impl<H>(A); } \
    extern "C" __global__ void binary_##h##_##h(const BinaryArgs A) { binary_impl<H, H>(A); } \
    extern "C" __global__ void binary_##h##_bool(const BinaryArgs A) { binary_impl<H, u8>(A); } \
    extern "C" __global__ void relu_backward_##h(const ReluBackwardArgs A) { relu_backward_impl<H>(A); } \
    extern "C" __global__ void gelu_backward_##h(const GeluBackwardArgs A) { gelu_backward_impl<H>(A); } \
    extern "C" __global__ void where_##h(const WhereArgs A) { where_impl<H>(A); } \
    extern "C" __global__ void bias_act_##h(const BiasActArgs A) { bias_act_impl<H>(A); } \
    extern "C" __global__ void reduce_block_##h(const ReduceArgs R) { reduce_block_impl<H>(R); } \
    extern "C" __global__ void reduce_thread_##h(const ReduceArgs R) { reduce_thread_impl<H>(R); } \
    extern "C" __global__ void reduce_finish_##h(const ReduceArgs R) { reduce_finish_impl<H>(R); } \
    extern "C" __global__ void softmax_##h(const SoftmaxArgs S) { softmax_impl<H>(S); }

JG_HALF_KERNELS(f16, F16)
JG_HALF_KERNELS(bf16, BF16)
