package io.jgrad;

import io.jgrad.spi.BinaryOp;
import io.jgrad.spi.UnaryOp;
import io.jgrad.spi.View;
import io.jgrad.spi.Views;

/**
 * In-place writes. They are not recorded in the graph; instead each bumps the storage's version counter, so a
 * backward pass that saved this memory fails loudly instead of using changed values.
 */
final class InPlace {
    private InPlace() {
    }

    private static View target(Tensor t, String op) {
        View v = t.view();
        if (Grad.isEnabled() && t.requiresGrad) {
            throw new IllegalStateException(op + ": tensor of shape " + t.shape() + " requires grad"
                    + (t.isLeaf() ? " (a leaf, such as a parameter)" : " and is part of a graph")
                    + "; in-place changes to it must run inside Grad.disabled()");
        }
        for (int i = 0; i < v.rank(); i++) {
            if (v.strides[i] == 0 && v.shape[i] > 1) {
                throw new IllegalArgumentException(op + ": cannot write in place into an expanded tensor of shape " + t.shape()
                        + " (several elements share memory); call contiguous() first");
            }
        }
        return v;
    }

    private static View operand(Tensor t, Tensor other, String op) {
        View ov = other.view();
        Elementwise.sameDevice(op, t, other);
        int[] shape = Elementwise.broadcastShapes(op, t.shape, other.shape);
        if (shape.length != t.dim() || !java.util.Arrays.equals(shape, t.shape)) {
            throw new IllegalArgumentException(op + ": operand of shape " + other.shape() + " does not broadcast to the target shape " + t.shape());
        }
        View b = Views.broadcast(ov, t.shape);
        if (other.storage == t.storage && overlapsDifferently(t.view(), b)) {
            // Element-wise kernels would read values this same write already changed.
            throw new IllegalArgumentException(op + ": the operand of shape " + other.shape() + " shares memory with the target "
                    + t.shape() + " in another layout; clone() the operand first");
        }
        return b;
    }

    /** Whether two views of one buffer touch common memory without being the very same elements in the same order. */
    private static boolean overlapsDifferently(View a, View b) {
        if (a.offset == b.offset && java.util.Arrays.equals(a.strides, b.strides)) return false;
        long[] ea = extent(a), eb = extent(b);
        return ea[0] <= eb[1] && eb[0] <= ea[1];
    }

    /** The lowest and highest buffer positions a view can reach. */
    private static long[] extent(View v) {
        long lo = v.offset, hi = v.offset;
        for (int i = 0; i < v.rank(); i++) {
            if (v.shape[i] == 0) return new long[]{1, 0}; // empty: touches nothing
            long span = v.strides[i] * (v.shape[i] - 1);
            if (span < 0) lo += span;
            else hi += span;
        }
        return new long[]{lo, hi};
    }

    /** Arithmetic kernels are floating-only (as out-of-place arithmetic is); fill and copyFrom take any dtype. */
    private static void floating(Tensor t, String op) {
        if (!t.dtype().isFloating()) {
            throw new IllegalArgumentException(op + ": expects a floating tensor, got " + t.dtype() + t.shape());
        }
    }

    static Tensor binary(BinaryOp op, Tensor t, Tensor other, String name) {
        View tv = target(t, name);
        if (t.dtype() != other.dtype()) {
            throw new IllegalArgumentException(name + ": dtypes differ: target " + t.dtype() + t.shape() + " and operand "
                    + other.dtype() + other.shape());
        }
        floating(t, name);
        t.backend().binary(op, tv, tv, operand(t, other, name));
        t.storage.version++;
        return t;
    }

    static Tensor axpy(Tensor t, Tensor other, double alpha) {
        if (alpha == 1) return binary(BinaryOp.ADD, t, other, "addInPlace");
        try (Grad.Mode ignored = Grad.disabled()) {
            Tensor scaled = other.mul(alpha);
            binary(BinaryOp.ADD, t, scaled, "addInPlace");
            scaled.close();
        }
        return t;
    }

    static Tensor affine(Tensor t, double a, double b, String name) {
        View tv = target(t, name);
        floating(t, name);
        t.backend().unary(UnaryOp.AFFINE, tv, tv, a, b);
        t.storage.version++;
        return t;
    }

    static Tensor fill(Tensor t, double value) {
        View tv = target(t, "fill");
        t.backend().fill(tv, value);
        t.storage.version++;
        return t;
    }

    static Tensor copyFrom(Tensor t, Tensor other) {
        View tv = target(t, "copyFrom");
        Tensor src = other.device().equals(t.device()) ? other : other.detach().to(t.device());
        t.backend().copy(tv, operand(t, src, "copyFrom"));
        t.storage.version++;
        return t;
    }
}
