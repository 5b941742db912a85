package io.jgrad;

import io.jgrad.spi.BinaryOp;

/**
 * How a Java number meets a float16 or bfloat16 tensor, as PyTorch's CPU kernels have it (its result is the half
 * rounding of a float32 computation, but the scalar enters that computation in two ways): for add, sub, rsub and pow
 * the scalar is first rounded to the tensor's type, for mul and div it stays a float32. So {@code x.add(0.3)} is
 * round(x + half(0.3)) and {@code x.div(0.3)} is round(x / 0.3f), bit for bit as {@code x + 0.3} and {@code x / 0.3}
 * in PyTorch (HalfPrecisionSuite checks both against PyTorch's own bits). For every other dtype these are the
 * identity, and the ops keep their usual float64 constants.
 */
final class HalfScalars {
    private HalfScalars() {
    }

    /** s as an addend or exponent of x: rounded to x's type when it is half, else unchanged. */
    static double addend(Tensor x, double s) {
        return x.dtype().isHalf() ? HalfFloat.round(x.dtype(), s) : s;
    }

    /**
     * x op s (MUL or DIV) computed in float32 with s a float32, rounded once to x's half type (-0 * s stays -0, as in
     * PyTorch; the AFFINE kernel's a * x + 0 would give +0); gradients flow through the two casts.
     */
    static Tensor inFloat32(BinaryOp op, Tensor x, double s) {
        return Elementwise.scalar(op, x.to(DType.FLOAT32), s).to(x.dtype());
    }
}
