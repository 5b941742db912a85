// How the kernel templates read and write each element type. The plain types (float, double, i64, int, u8) are stored
// as themselves. F16 and BF16 are stored as their u16 bit patterns and computed as float: widened exactly on load,
// rounded once to nearest even on store (half.cuh, bit for bit io.jgrad.HalfFloat). A template instantiated for a half
// type therefore does exactly what its float instantiation does on the widened values and rounds the float result
// once: the float32 kernel's result through io.jgrad.spi.HalfOperands, without its float32 copies of the operands.
#pragma once

#include "half.cuh"

// The two half formats, as tags for the templates.
struct F16 {
    static __device__ __forceinline__ float widen(u16 h) { return f16_to_f32(h); }
    static __device__ __forceinline__ u16 narrow(float f) { return f32_to_f16(f); }
};
struct BF16 {
    static __device__ __forceinline__ float widen(u16 h) { return bf16_to_f32(h); }
    static __device__ __forceinline__ u16 narrow(float f) { return f32_to_bf16(f); }
};

// stored: the buffer's element; value: what a kernel computes with, and rounds its results to before they are stored.
template <typename T>
struct Elem {
    typedef T stored;
    typedef T value;
    static __device__ __forceinline__ T load(const T* p, long long i) { return p[i]; }
    static __device__ __forceinline__ void store(T* p, long long i, T v) { p[i] = v; }
};

template <typename H>
struct HalfElem {
    typedef u16 stored;
    typedef float value;
    static __device__ __forceinline__ float load(const u16* p, long long i) { return H::widen(p[i]); }
    static __device__ __forceinline__ void store(u16* p, long long i, float v) { p[i] = H::narrow(v); }
};
template <> struct Elem<F16> : HalfElem<F16> {};
template <> struct Elem<BF16> : HalfElem<BF16> {};
