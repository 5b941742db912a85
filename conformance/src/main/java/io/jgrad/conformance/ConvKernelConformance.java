package io.jgrad.conformance;

import static io.jgrad.conformance.KernelViews.assertUntouched;
import static io.jgrad.conformance.KernelViews.input;
import static io.jgrad.conformance.KernelViews.output;
import static io.jgrad.conformance.KernelViews.read;
import static io.jgrad.conformance.KernelViews.uniform;

import io.jgrad.DType;
import io.jgrad.conformance.KernelViews.Layout;
import io.jgrad.conformance.KernelViews.Operand;
import io.jgrad.spi.Backend;
import io.jgrad.spi.ConvGeometry;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The convolution kernels ({@link Backend#conv2dForward}, {@link Backend#conv2dBackwardInput},
 * {@link Backend#conv2dBackwardWeight}): each backend override against the default composition (im2col + GEMM on the
 * same backend, {@link KernelConformance.DefaultsOnly}) over a grid of geometries: 1x1, depthwise, grouped, strided,
 * dilated, asymmetric padding, images big enough to need several column tiles, batches that do not split evenly.
 * <p>
 * Tolerance: not bit for bit. Both sides sum the same products, but an override blocks its GEMMs differently (by
 * image, by tile, by k-panels) and adds partial sums of the weight gradient in another order, so float32 results agree
 * to a few ulps of the result's scale: 2e-6 of the largest magnitude (float64: 1e-13).
 */
public abstract class ConvKernelConformance extends KernelConformance {

    /** {n, c, h, w, out, kh, kw, sh, sw, top, bottom, left, right, dh, dw, groups}. */
    private static final int[][] GEOMETRIES = {
            {2, 3, 7, 6, 4, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1},
            {3, 8, 9, 9, 6, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 2},     // 1x1, grouped: the direct path
            {2, 6, 8, 7, 6, 3, 3, 2, 1, 1, 1, 1, 1, 1, 1, 6},     // depthwise, strided
            {5, 4, 11, 10, 6, 3, 2, 2, 3, 2, 0, 1, 2, 2, 1, 2},   // dilated, asymmetric padding, 5 images
            {1, 2, 5, 5, 3, 5, 5, 1, 1, 0, 0, 0, 0, 1, 1, 1},     // kernel as big as the input
            {2, 32, 66, 66, 8, 3, 3, 1, 1, 0, 0, 0, 0, 1, 1, 1},  // 32*9*64*64 > 2^20: several column tiles
            {7, 16, 12, 12, 32, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1}, // a ResNet-like layer, 7 images
            {3, 16, 16, 15, 24, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1}, // 16 x 15 maps: the CPU's Winograd weight gradient too
            {1, 5, 4, 9, 2, 1, 3, 1, 4, 0, 0, 3, 3, 1, 2, 1},     // 1-D style (kh = 1), padding wider than the kernel
    };

    @Test
    public void convolutionsAgreeWithTheDefault() {
        Backend be = backend();
        Backend defaults = new DefaultsOnly(be);
        for (DType dt : FLOATS) {
            for (int c = 0; c < GEOMETRIES.length; c++) {
                int[] s = GEOMETRIES[c];
                ConvGeometry g = new ConvGeometry(s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7], s[8], s[9], s[10], s[11], s[12],
                        s[13], s[14], s[15]);
                g.check("test geometry " + c);
                Random rnd = new Random(21_000 + 10 * dt.ordinal() + c);
                Layout in = c % 2 == 0 ? Layout.CONTIGUOUS : Layout.OFFSET;
                Operand x = input(be, dt, g.inputShape(), in, rnd, uniform(rnd, -1, 1));
                Operand w = input(be, dt, g.weightShape(), in, rnd, uniform(rnd, -1, 1));
                Operand b = input(be, dt, new int[]{g.outChannels()}, Layout.OFFSET, rnd, uniform(rnd, -1, 1));
                Operand gy = input(be, dt, g.outputShape(), in, rnd, uniform(rnd, -1, 1));
                String what = dt + " " + g;
                boolean withBias = c % 3 != 1;

                Operand y = output(be, dt, g.outputShape(), Layout.OFFSET, rnd), yRef = output(be, dt, g.outputShape(), Layout.CONTIGUOUS, rnd);
                be.conv2dForward(y.view, x.view, w.view, withBias ? b.view : null, g);
                defaults.conv2dForward(yRef.view, x.view, w.view, withBias ? b.view : null, g);
                assertScaled(read(be, yRef.view), read(be, y.view), dt, "conv2dForward " + what);
                assertUntouched(be, y.view, "conv2dForward " + what);

                Operand gx = output(be, dt, g.inputShape(), Layout.OFFSET, rnd), gxRef = output(be, dt, g.inputShape(), Layout.CONTIGUOUS, rnd);
                be.conv2dBackwardInput(gx.view, gy.view, w.view, g);
                defaults.conv2dBackwardInput(gxRef.view, gy.view, w.view, g);
                assertScaled(read(be, gxRef.view), read(be, gx.view), dt, "conv2dBackwardInput " + what);
                assertUntouched(be, gx.view, "conv2dBackwardInput " + what);

                Operand gw = output(be, dt, g.weightShape(), Layout.OFFSET, rnd), gwRef = output(be, dt, g.weightShape(), Layout.CONTIGUOUS, rnd);
                Operand gb = output(be, dt, new int[]{g.outChannels()}, Layout.OFFSET, rnd);
                Operand gbRef = output(be, dt, new int[]{g.outChannels()}, Layout.CONTIGUOUS, rnd);
                be.conv2dBackwardWeight(gw.view, withBias ? gb.view : null, gy.view, x.view, g);
                defaults.conv2dBackwardWeight(gwRef.view, withBias ? gbRef.view : null, gy.view, x.view, g);
                assertScaled(read(be, gwRef.view), read(be, gw.view), dt, "conv2dBackwardWeight " + what);
                assertUntouched(be, gw.view, "conv2dBackwardWeight " + what);
                if (withBias) assertScaled(read(be, gbRef.view), read(be, gb.view), dt, "conv2dBackwardWeight bias " + what);
            }
        }
    }

    private static void assertScaled(double[] want, double[] got, DType dt, String what) {
        double scale = 1e-30;
        for (double v : want) scale = Math.max(scale, Math.abs(v));
        double tol = (dt == DType.FLOAT32 ? 2e-6 : 1e-13) * scale;
        for (int i = 0; i < want.length; i++) assertClose(want[i], got[i], 0, tol, what, i, "");
    }
}
