// Runs CUDA kernel source on the host: every block's threads are std::threads, __syncthreads a std::barrier,
// __shared__ a function-static (one block at a time), a warp shuffle an exchange through a table with a barrier per
// warp, so the kernels' indexing and synchronisation can be checked without a GPU.
#pragma once
#include <math.h>
#include <barrier>
#include <cstring>
#include <memory>
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

// __shfl_xor_sync with a full mask: every lane of the warp must call it, as on the GPU (blockDim.x a multiple of 32
// wherever a kernel shuffles). Each lane posts its value, the warp meets, each reads its partner's, the warp meets again.
inline std::barrier<>* g_warp_barrier[32];
inline unsigned char g_lane_value[1024][16];
template <typename T> T __shfl_xor_sync(unsigned, T v, int lane_mask) {
    static_assert(sizeof(T) <= sizeof g_lane_value[0], "a shuffled value is at most 16 bytes here");
    unsigned t = threadIdx.x;
    std::memcpy(g_lane_value[t], &v, sizeof(T));
    g_warp_barrier[t >> 5]->arrive_and_wait();
    T r;
    std::memcpy(&r, g_lane_value[t ^ (unsigned) lane_mask], sizeof(T));
    g_warp_barrier[t >> 5]->arrive_and_wait();
    return r;
}

template <typename Args>
void host_launch(void (*kernel)(const Args), const Args& A, int grid, int threads) {
    gridDim.x = grid;
    blockDim.x = threads;
    for (int b = 0; b < grid; b++) {
        blockIdx.x = b;
        std::barrier<> bar(threads);
        g_barrier = &bar;
        std::vector<std::unique_ptr<std::barrier<>>> warps;
        for (int w = 0; w * 32 < threads; w++) {
            warps.push_back(std::make_unique<std::barrier<>>(threads - w * 32 < 32 ? threads - w * 32 : 32));
            g_warp_barrier[w] = warps.back().get();
        }
        std::vector<std::thread> ts;
        for (int t = 0; t < threads; t++) ts.emplace_back([&, t] { threadIdx.x = t; kernel(A); });
        for (auto& th : ts) th.join();
    }
}
