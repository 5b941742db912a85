// Runs CUDA kernel source on the host: every block's threads are std::threads, __syncthreads a std::barrier,
// __shared__ a function-static (one block at a time), so the kernels' indexing and synchronisation can be checked
// without a GPU.
#pragma once
#include <math.h>
#include <barrier>
#include <cstring>
#include <thread>
#include <vector>
#define __device__
#define __global__
#define __forceinline__ inline
#define __noinline__
#define __shared__ static
struct Dim3 { unsigned x = 0, y = 0, z = 0; };
inline thread_local Dim3 threadIdx;
inline Dim3 blockIdx, blockDim, gridDim;
inline std::barrier<>* g_barrier;
inline void __syncthreads() { g_barrier->arrive_and_wait(); }
inline double __longlong_as_double(long long v) { double d; std::memcpy(&d, &v, 8); return d; }
inline int atomicCAS(int* p, int c, int v) { int o = *p; if (o == c) *p = v; return o; }
template <typename T> T __shfl_xor_sync(unsigned, T v, int) { return v; }

template <typename Args>
void host_launch(void (*kernel)(const Args), const Args& A, int grid, int threads) {
    gridDim.x = grid;
    blockDim.x = threads;
    for (int b = 0; b < grid; b++) {
        blockIdx.x = b;
        std::barrier<> bar(threads);
        g_barrier = &bar;
        std::vector<std::thread> ts;
        for (int t = 0; t < threads; t++) ts.emplace_back([&, t] { threadIdx.x = t; kernel(A); });
        for (auto& th : ts) th.join();
    }
}
