// Reductions along one axis, softmax / log-softmax and fused cross-entropy (templates in reduce.cuh) for float (f32),
// double (f64) and int64 (i64); half_ops.cu instantiates the reductions and softmax for float16 and bfloat16 storage.
#include "reduce.cuh"

extern "C" __global__ void reduce_block_f32(const ReduceArgs R) { reduce_block_impl<float>(R); }
extern "C" __global__ void reduce_block_f64(const ReduceArgs R) { reduce_block_impl<double>(R); }
extern "C" __global__ void reduce_block_i64(const ReduceArgs R) { reduce_block_impl<i64>(R); }
extern "C" __global__ void reduce_thread_f32(const ReduceArgs R) { reduce_thread_impl<float>(R); }
extern "C" __global__ void reduce_thread_f64(const ReduceArgs R) { reduce_thread_impl<double>(R); }
extern "C" __global__ void reduce_thread_i64(const ReduceArgs R) { reduce_thread_impl<i64>(R); }
extern "C" __global__ void reduce_finish_f32(const ReduceArgs R) { reduce_finish_impl<float>(R); }
extern "C" __global__ void reduce_finish_f64(const ReduceArgs R) { reduce_finish_impl<double>(R); }
extern "C" __global__ void reduce_finish_i64(const ReduceArgs R) { reduce_finish_impl<i64>(R); }
extern "C" __global__ void softmax_f32(const SoftmaxArgs S) { softmax_impl<float>(S); }
extern "C" __global__ void softmax_f64(const SoftmaxArgs S) { softmax_impl<double>(S); }
extern "C" __global__ void cross_entropy_f32(const CrossEntropyArgs E) { cross_entropy_impl<float>(E); }
extern "C" __global__ void cross_entropy_f64(const CrossEntropyArgs E) { cross_entropy_impl<double>(E); }
extern "C" __global__ void cross_entropy_grad_f32(const CrossEntropyGradArgs G) { cross_entropy_grad_impl<float>(G); }
extern "C" __global__ void cross_entropy_grad_f64(const CrossEntropyGradArgs G) { cross_entropy_grad_impl<double>(G); }
