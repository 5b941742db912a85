// float16 and bfloat16 storage: strided copies that convert to and from every other dtype, and fill. The element-wise
// and reduction kernels on half operands are the float32 templates instantiated for half storage (half_ops.cu);
// every other kernel goes through float32 (io.jgrad.spi.HalfOperands widens with these copies, runs the float32
// kernel and narrows its output once); matrix products go to cuBLAS's GemmEx.
//
// Conversions go through float32, as PyTorch's do and as the CPU backend's: a float64, int64, int32 or bool value
// becomes float32 first (one rounding, Java's cast), then the half type (a second one); a half value becomes float32
// exactly, then the target type by Java's cast (truncation, NaN -> 0, saturation; bool: non-zero, NaN included).
#include "common.cuh"
#include "element.cuh"  // half.cuh and the F16 / BF16 tags

struct CopyArgs {
    Layout L;  // operands: 0 = out, 1 = in
    u64 out, in;
};
static_assert(sizeof(CopyArgs) == 320, "see Kernel.java (the same struct as elementwise.cu's)");

struct FillArgs {
    Layout L;  // operands: 0 = out
    u64 out;
    double value;
    i64 longValue;  // unused here: the fill kernels of elementwise.cu take the same struct
};
static_assert(sizeof(FillArgs) == 328, "see Kernel.java (the same struct as elementwise.cu's)");

// Any other element as float32 (Java's casts: to nearest) ...
template <typename T>
__device__ __forceinline__ float as_float(T v) { return (float) v; }

// ... and float32 as any other element.
template <typename T>
__device__ __forceinline__ T from_float(float f) { return (T) f; }
template <>
__device__ __forceinline__ double from_float<double>(float f) { return (double) f; }
template <>
__device__ __forceinline__ i64 from_float<i64>(float f) { return java_to_long((double) f); }
template <>
__device__ __forceinline__ int from_float<int>(float f) { return java_to_int((double) f); }
template <>
__device__ __forceinline__ u8 from_float<u8>(float f) { return f != 0.0f; }  // NaN is true

// out (half H) = in (T)
template <typename H, typename T>
__device__ void narrow_impl(const CopyArgs& A) {
    u16* out = (u16*) A.out;
    const T* in = (const T*) A.in;
    GRID_STRIDE_LOOP(i, A.L.n) {
        i64 off[2];
        offsets<2>(A.L, i, off);
        out[off[0]] = H::narrow(as_float<T>(in[off[1]]));
    }
}

// out (T) = in (half H)
template <typename T, typename H>
__device__ void widen_impl(const CopyArgs& A) {
    T* out = (T*) A.out;
    const u16* in = (const u16*) A.in;
    GRID_STRIDE_LOOP(i, A.L.n) {
        i64 off[2];
        offsets<2>(A.L, i, off);
        out[off[0]] = from_float<T>(H::widen(in[off[1]]));
    }
}

// out (half HO) = in (half HI) between the two formats, through float32 (within one format the bits are copied)
template <typename HO, typename HI>
__device__ void half_cast_impl(const CopyArgs& A) {
    u16* out = (u16*) A.out;
    const u16* in = (const u16*) A.in;
    GRID_STRIDE_LOOP(i, A.L.n) {
        i64 off[2];
        offsets<2>(A.L, i, off);
        out[off[0]] = HO::narrow(HI::widen(in[off[1]]));
    }
}

// a strided copy of the bit patterns (a signalling NaN stays signalling, as on the CPU)
__device__ void half_bits_impl(const CopyArgs& A) {
    u16* out = (u16*) A.out;
    const u16* in = (const u16*) A.in;
    GRID_STRIDE_LOOP(i, A.L.n) {
        i64 off[2];
        offsets<2>(A.L, i, off);
        out[off[0]] = in[off[1]];
    }
}

// copy_<output dtype>_<input dtype>, as in elementwise.cu, for every pair with a half type on either side
#define JG_HALF_COPIES(h, H) \
    extern "C" __global__ void copy_##h##_f32(const CopyArgs A) { narrow_impl<H, float>(A); } \
    extern "C" __global__ void copy_##h##_f64(const CopyArgs A) { narrow_impl<H, double>(A); } \
    extern "C" __global__ void copy_##h##_i64(const CopyArgs A) { narrow_impl<H, i64>(A); } \
    extern "C" __global__ void copy_##h##_i32(const CopyArgs A) { narrow_impl<H, int>(A); } \
    extern "C" __global__ void copy_##h##_bool(const CopyArgs A) { narrow_impl<H, u8>(A); } \
    extern "C" __global__ void copy_f32_##h(const CopyArgs A) { widen_impl<float, H>(A); } \
    extern "C" __global__ void copy_f64_##h(const CopyArgs A) { widen_impl<double, H>(A); } \
    extern "C" __global__ void copy_i64_##h(const CopyArgs A) { widen_impl<i64, H>(A); } \
    extern "C" __global__ void copy_i32_##h(const CopyArgs A) { widen_impl<int, H>(A); } \
    extern "C" __global__ void copy_bool_##h(const CopyArgs A) { widen_impl<u8, H>(A); }
JG_HALF_COPIES(f16, F16)
JG_HALF_COPIES(bf16, BF16)

extern "C" __global__ void copy_f16_f16(const CopyArgs A) { half_bits_impl(A); }
extern "C" __global__ void copy_f16_bf16(const CopyArgs A) { half_cast_impl<F16, BF16>(A); }
extern "C" __global__ void copy_bf16_f16(const CopyArgs A) { half_cast_impl<BF16, F16>(A); }
extern "C" __global__ void copy_bf16_bf16(const CopyArgs A) { half_bits_impl(A); }

// ---- fill: the value rounded to float32, then to the half type ----

template <typename H>
__device__ void fill_impl(const FillArgs& A) {
    u16* out = (u16*) A.out;
    u16 v = H::narrow((float) A.value);
    GRID_STRIDE_LOOP(i, A.L.n) {
        i64 off[1];
        offsets<1>(A.L, i, off);
        out[off[0]] = v;
    }
}

extern "C" __global__ void fill_f16(const FillArgs A) { fill_impl<F16>(A); }
extern "C" __global__ void fill_bf16(const FillArgs A) { fill_impl<BF16>(A); }
