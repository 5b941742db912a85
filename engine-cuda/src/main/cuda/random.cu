// The counter-based random stream of io.jgrad.spi.CounterRandom: element i depends only on (seed, i).
// Uniforms are bit-exact with Java; normals match to the last bit or two of log1p and cos.
#include "common.cuh"

#define GOLDEN 0x9E3779B97F4A7C15ULL

__device__ __forceinline__ u64 mix(u64 z) {
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

__device__ __forceinline__ double uniform01(u64 seed, u64 i) {
    return (double) (mix(seed + (i + 1) * GOLDEN) >> 11) * 0x1p-53;
}

__device__ __forceinline__ double standard_normal(u64 seed, u64 i) {
    double u1 = uniform01(seed, 2 * i);
    double u2 = uniform01(seed, 2 * i + 1);
    return sqrt(-2.0 * log1p(-u1)) * cos(2.0 * 3.141592653589793 * u2);
}

struct RandomArgs {
    Layout L;  // over out; operand 0 = out. The loop index is the row-major element number.
    u64 out, seed;
    double a, b;
    int normal, pad;
};
static_assert(sizeof(RandomArgs) == 344, "see Kernel.java");

template <typename T>
__device__ void random_impl(const RandomArgs& R) {
    T* out = (T*) R.out;
    GRID_STRIDE_LOOP(i, R.L.n) {
        i64 off[1];
        offsets<1>(R.L, i, off);
        double v = R.normal ? R.a + R.b * standard_normal(R.seed, (u64) i)
                            : R.a + (R.b - R.a) * uniform01(R.seed, (u64) i);
        out[off[0]] = (T) v;
    }
}

extern "C" __global__ void random_f32(const RandomArgs R) { random_impl<float>(R); }
extern "C" __global__ void random_f64(const RandomArgs R) { random_impl<double>(R); }
