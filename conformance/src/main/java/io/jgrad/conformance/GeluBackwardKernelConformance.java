package io.jgrad.conformance;

import static io.jgrad.conformance.KernelViews.input;
import static io.jgrad.conformance.KernelViews.output;
import static io.jgrad.conformance.KernelViews.randomShape;
import static io.jgrad.conformance.KernelViews.read;
import static io.jgrad.conformance.KernelViews.uniform;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgrad.DType;
import io.jgrad.conformance.KernelViews.Layout;
import io.jgrad.conformance.KernelViews.Operand;
import io.jgrad.spi.Backend;
import io.jgrad.spi.ScalarMath;
import io.jgrad.spi.UnaryOp;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@code Backend.geluBackward}, the fused gradient through GELU (exact and tanh form) of x + bias with the bias
 * gradient: each backend's override against the default composition ({@link KernelConformance.DefaultsOnly}: add,
 * the declared derivative, multiply, column sums) and against the float64 derivative, for both dtypes, with and
 * without a bias and a bias gradient, contiguous and strided gradients, shapes big enough to be split over threads;
 * and its refusals of bad operands. A backend runs it through a one-line subclass.
 */
public abstract class GeluBackwardKernelConformance extends KernelConformance {

    private static final UnaryOp[] ACTS = {UnaryOp.GELU, UnaryOp.GELU_TANH};

    @Test
    public void geluBackwardAgreesWithTheDefaultAndTheMath() {
        Backend be = backend();
        Backend defaults = new DefaultsOnly(be);
        for (DType dt : FLOATS) {
            for (int c = 0; c < 16; c++) {
                Random rnd = new Random(18_300 + 20 * dt.ordinal() + c);
                UnaryOp act = ACTS[c % 2];
                int[] shape = c >= 14 ? new int[]{300, 257} : c == 12 ? new int[]{5000} : c == 13 ? new int[0]
                        : randomShape(rnd, 1 + c % 3, 9);
                int channels = shape.length == 0 ? 1 : shape[shape.length - 1];
                boolean withBias = c % 4 < 2 && shape.length > 0, wantBias = withBias && c % 8 < 4;
                Operand x = input(be, dt, shape, Layout.CONTIGUOUS, rnd, uniform(rnd, -6, 6));
                Operand g = input(be, dt, shape, c % 5 == 4 ? Layout.TRANSPOSED : Layout.CONTIGUOUS, rnd, uniform(rnd, -2, 2));
                Operand bias = input(be, dt, new int[]{channels}, c % 3 == 2 ? Layout.STEPPED : Layout.CONTIGUOUS, rnd,
                        uniform(rnd, -1, 1));
                Operand gx = output(be, dt, shape, Layout.CONTIGUOUS, rnd), gxRef = output(be, dt, shape, Layout.CONTIGUOUS, rnd);
                Operand gb = output(be, dt, new int[]{channels}, Layout.CONTIGUOUS, rnd);
                Operand gbRef = output(be, dt, new int[]{channels}, Layout.CONTIGUOUS, rnd);
                be.geluBackward(gx.view, wantBias ? gb.view : null, g.view, x.view, withBias ? bias.view : null, act);
                defaults.geluBackward(gxRef.view, wantBias ? gbRef.view : null, g.view, x.view, withBias ? bias.view : null, act);
                String what = "geluBackward " + act + " " + dt + " bias " + withBias + " " + g;
                double[] got = read(be, gx.view);
                agree(read(be, gxRef.view), got, dt, what + " gradX vs default");
                boolean f32 = dt == DType.FLOAT32;
                for (int i = 0; i < got.length; i++) {
                    double z = round(dt, round(dt, x.values[i]) + (withBias ? round(dt, bias.values[i % channels]) : 0));
                    double gi = round(dt, g.values[i]);
                    double d = act == UnaryOp.GELU ? ScalarMath.geluGrad(z) : ScalarMath.geluTanhGrad(z);
                    // the derivative's own tolerance (ElementwiseKernelConformance), times the gradient
                    double rel = f32 ? (act == UnaryOp.GELU ? 2e-6 : 3 * 0x1p-23) + 0x1p-24 : 1e-13;
                    double abs = (f32 && act == UnaryOp.GELU ? 2e-7 : 1e-14) * Math.abs(gi);
                    assertClose(gi * d, got[i], rel, abs, what + " gradX vs math", i, "");
                }
                if (wantBias) {
                    double[] gotBias = read(be, gb.view);
                    agree(read(be, gbRef.view), gotBias, dt, what + " gradBias vs default");
                    int rows = got.length / channels;
                    for (int j = 0; j < channels; j++) {
                        double sum = 0, mag = 0;
                        for (int r = 0; r < rows; r++) {
                            sum += got[r * channels + j];
                            mag += Math.abs(got[r * channels + j]);
                        }
                        assertClose(sum, gotBias[j], 0, (f32 ? 0x1p-23 : 0x1p-50) * (mag + 1e-30), what + " gradBias vs column sums", j, "");
                    }
                }
            }
        }
    }

    @Test
    public void geluBackwardHasTheLimitsAndKeepsNan() {
        Backend be = backend();
        for (DType dt : FLOATS) {
            for (UnaryOp act : ACTS) {
                Random rnd = new Random(18_400 + dt.ordinal());
                double[] xs = {0, -0.0, 1, -1, 30, -30, Double.NaN};
                Operand x = input(be, dt, new int[]{xs.length}, Layout.CONTIGUOUS, rnd, xs);
                Operand g = input(be, dt, new int[]{xs.length}, Layout.CONTIGUOUS, rnd, new double[]{1, 1, 0, 0, 2, 2, 1});
                Operand gx = output(be, dt, new int[]{xs.length}, Layout.CONTIGUOUS, rnd);
                be.geluBackward(gx.view, null, g.view, x.view, null, act);
                double[] got = read(be, gx.view);
                String what = "geluBackward " + act + " " + dt;
                assertClose(0.5, got[0], 0, 1e-7, what + " at 0", 0, "");
                assertClose(0.5, got[1], 0, 1e-7, what + " at -0", 1, "");
                assertClose(0, got[2], 0, 0, what + ": a zero gradient gives 0", 2, "");
                assertClose(0, got[3], 0, 0, what + ": a zero gradient gives 0", 3, "");
                assertClose(2, got[4], 0, 0, what + " far right: 1 times the gradient", 4, "");
                assertClose(0, got[5], 0, 1e-30, what + " far left: 0", 5, "");
                assertTrue(Double.isNaN(got[6]), what + ": NaN in, NaN out");
            }
        }
    }

    @Test
    public void geluBackwardRefusesBadOperands() {
        Backend be = backend();
        Random rnd = new Random(18_500);
        DType dt = DType.FLOAT32;
        Operand x = input(be, dt, new int[]{3, 4}, Layout.CONTIGUOUS, rnd, uniform(rnd, -1, 1));
        Operand g = input(be, dt, new int[]{3, 4}, Layout.CONTIGUOUS, rnd, uniform(rnd, -1, 1));
        Operand wrongShape = input(be, dt, new int[]{4, 3}, Layout.CONTIGUOUS, rnd, uniform(rnd, -1, 1));
        Operand wrongBias = input(be, dt, new int[]{3}, Layout.CONTIGUOUS, rnd, uniform(rnd, -1, 1));
        Operand doubles = input(be, DType.FLOAT64, new int[]{3, 4}, Layout.CONTIGUOUS, rnd, uniform(rnd, -1, 1));
        Operand gx = output(be, dt, new int[]{3, 4}, Layout.CONTIGUOUS, rnd);
        double[] before = read(be, gx.view);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> be.geluBackward(gx.view, null, g.view, x.view, null, UnaryOp.RELU));
        assertTrue(e.getMessage().contains("geluBackward"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> be.geluBackward(gx.view, null, wrongShape.view, x.view, null, UnaryOp.GELU));
        assertThrows(IllegalArgumentException.class, () -> be.geluBackward(gx.view, null, g.view, x.view, wrongBias.view, UnaryOp.GELU));
        assertThrows(IllegalArgumentException.class, () -> be.geluBackward(gx.view, wrongBias.view, g.view, x.view, null, UnaryOp.GELU));
        assertThrows(IllegalArgumentException.class, () -> be.geluBackward(gx.view, null, doubles.view, x.view, null, UnaryOp.GELU));
        assertArrayEquals(before, read(be, gx.view), "a refused call writes nothing");
    }

    /** A fused result agrees with the default composition to a few ulps of its dtype. */
    private static void agree(double[] want, double[] got, DType dt, String what) {
        double tol = dt == DType.FLOAT32 ? 1e-6 : 1e-13;
        for (int i = 0; i < want.length; i++) assertClose(want[i], got[i], tol, 1e-30, what, i, "");
    }
}
