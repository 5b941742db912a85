// float16 and bfloat16 <-> float32 on bit patterns, exactly as io.jgrad.HalfFloat converts (the CPU backend's rules):
// widening is exact, NaN payloads included; narrowing rounds to nearest, ties to even; a NaN stays a NaN of the same
// sign, made quiet, keeping the top bits of its payload.
//
// Integer arithmetic only, for two reasons: the PTX targets compute_75, where bfloat16 has no cvt instruction (cvt
// with .bf16 needs sm_80), and float16's cvt.rn.f16.f32 writes its own NaN pattern; with integers both types agree
// with HalfFloat bit for bit on every GPU, and scripts/check-half-host.sh proves it on the host over every half
// pattern and a few million float32 values. The kernels that use these are memory-bound, so the extra integer
// instructions cost nothing measurable.
#pragma once

typedef unsigned short u16;  // a float16 or bfloat16 element: its bit pattern
typedef unsigned int u32;

// float16 bits -> float (exact)
__device__ __forceinline__ float f16_to_f32(u16 h) {
    u32 sign = (u32) (h & 0x8000u) << 16;
    u32 exp = (h >> 10) & 0x1fu;
    u32 frac = h & 0x3ffu;
    if (exp == 0x1fu) return __uint_as_float(sign | 0x7f800000u | frac << 13);  // infinity or NaN
    if (exp != 0) return __uint_as_float(sign | (exp + 112u) << 23 | frac << 13);  // normal: rebias 15 -> 127
    // zero or subnormal: frac * 2^-24, a normal float32 (or zero) computed exactly
    return __uint_as_float(sign | __float_as_uint((float) frac * 0x1p-24f));
}

// float -> float16 bits, nearest even
__device__ __forceinline__ u16 f32_to_f16(float f) {
    u32 x = __float_as_uint(f);
    u32 sign = (x >> 16) & 0x8000u;
    u32 a = x & 0x7fffffffu;
    if (a > 0x7f800000u) return (u16) (sign | 0x7e00u | ((a >> 13) & 0x3ffu));  // NaN: quiet, top of the payload
    if (a >= 0x477ff000u) return (u16) (sign | 0x7c00u);  // 65520 (halfway past 65504) and up: infinity
    if (a >= 0x38800000u) {  // normal float16 (2^-14 and up): rebias, then drop 13 fraction bits rounding to even
        u32 m = a - (112u << 23);
        m += 0xfffu + ((m >> 13) & 1u);
        return (u16) (sign | (m >> 13));  // a carry out of the fraction moves to the next binade, as it should
    }
    if (a <= 0x33000000u) return (u16) sign;  // up to 2^-25 (the tie goes to the even 0): signed zero
    // subnormal result: round(value / 2^-24) from the 24-bit significand
    u32 shift = 126u - (a >> 23);  // 14..24
    u32 sig = (a & 0x7fffffu) | 0x800000u;
    u32 k = sig >> shift;
    u32 rest = sig & ((1u << shift) - 1u);
    u32 halfway = 1u << (shift - 1u);
    if (rest > halfway || (rest == halfway && (k & 1u))) k++;  // k may become 0x400, the smallest normal: right
    return (u16) (sign | k);
}

// bfloat16 bits -> float (exact): the upper half of a float32
__device__ __forceinline__ float bf16_to_f32(u16 b) {
    return __uint_as_float((u32) b << 16);
}

// float -> bfloat16 bits, nearest even
__device__ __forceinline__ u16 f32_to_bf16(float f) {
    u32 x = __float_as_uint(f);
    if ((x & 0x7fffffffu) > 0x7f800000u) return (u16) ((x >> 16) | 0x40u);  // NaN: quiet, sign and payload's top
    // add one less than half the dropped unit, plus the kept part's lowest bit: ties go to even, and a carry
    // runs into the exponent (the largest float32 values round to infinity)
    return (u16) ((x + 0x7fffu + ((x >> 16) & 1u)) >> 16);
}
