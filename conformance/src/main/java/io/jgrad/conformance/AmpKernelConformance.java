package io.jgrad.conformance;

import static io.jgrad.conformance.KernelViews.assertUntouched;
import static io.jgrad.conformance.KernelViews.input;
import static io.jgrad.conformance.KernelViews.randomShape;
import static io.jgrad.conformance.KernelViews.read;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jgrad.DType;
import io.jgrad.conformance.KernelViews.Layout;
import io.jgrad.conformance.KernelViews.Operand;
import io.jgrad.spi.Backend;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The loss-scaling kernel {@link Backend#unscaleAndCheck}: a backend's override against the default composition
 * ({@link KernelConformance.DefaultsOnly} on the same backend) and against the math, over float32 and float64
 * gradients in every in-place layout, with infinities and NaNs placed at random, a flag that starts at 0 or 1
 * (a set flag stays set), and an inverse scale above 1 that overflows finite values (the check looks at the
 * values before the multiplication, as PyTorch's does).
 */
public abstract class AmpKernelConformance extends KernelConformance {
    @Test
    public void unscaleAndCheckAgreesWithTheDefaultAndTheMath() {
        Backend be = backend();
        Backend defaults = new DefaultsOnly(be);
        float[] invScales = {1f / 65536, 1f / 1000, 3f, 1f};
        Layout[] layouts = {Layout.CONTIGUOUS, Layout.OFFSET, Layout.TRANSPOSED, Layout.SLICED, Layout.STEPPED};
        for (DType dt : FLOATS) {
            for (int c = 0; c < 40; c++) {
                Random rnd = new Random(23_000 + 100 * dt.ordinal() + c);
                int[] shape = c == 39 ? new int[]{300, 301} : randomShape(rnd, rnd.nextInt(4), 9);
                Layout layout = layouts[c % layouts.length];
                double invScale = invScales[c % invScales.length];
                double[] values = new double[(int) io.jgrad.spi.View.numel(shape)];
                double big = c % 4 == 2 ? 2e38 : 1e4; // with invScale 3, float32 values overflow after the check
                for (int i = 0; i < values.length; i++) values[i] = (rnd.nextDouble() * 2 - 1) * big;
                int kind = c % 5; // 0, 1: all finite; 2: +inf; 3: -inf; 4: NaN
                if (kind >= 2 && values.length > 0) {
                    values[rnd.nextInt(values.length)] = kind == 2 ? Double.POSITIVE_INFINITY : kind == 3 ? Double.NEGATIVE_INFINITY : Double.NaN;
                }
                boolean flagSet = c % 7 == 6;
                Operand mine = input(be, dt, shape, layout, new Random(c), values);
                Operand ref = input(be, dt, shape, layout, new Random(c), values);
                Operand mineFlag = input(be, DType.FLOAT32, new int[]{1}, c % 2 == 0 ? Layout.CONTIGUOUS : Layout.OFFSET, rnd,
                        new double[]{flagSet ? 1 : 0});
                Operand refFlag = input(be, DType.FLOAT32, new int[]{1}, Layout.CONTIGUOUS, rnd, new double[]{flagSet ? 1 : 0});
                be.unscaleAndCheck(mine.view, mineFlag.view, invScale);
                defaults.unscaleAndCheck(ref.view, refFlag.view, invScale);
                String what = "unscaleAndCheck " + dt + " " + mine + " invScale " + invScale + " case " + c;
                double[] got = read(be, mine.view), want = read(be, ref.view);
                boolean nonFinite = false;
                for (int i = 0; i < values.length; i++) {
                    double v = mine.values[i];
                    nonFinite |= !Double.isFinite(v);
                    double math = round(dt, v * invScale);
                    assertClose(want[i], got[i], 0, 0, what + " vs default", i, "");
                    assertClose(math, got[i], 0, 0, what + " vs the math", i, "");
                }
                double flag = nonFinite || flagSet ? 1 : 0;
                assertEquals(flag, read(be, mineFlag.view)[0], what + ": foundInf");
                assertEquals(flag, read(be, refFlag.view)[0], what + ": foundInf of the default");
                assertUntouched(be, mine.view, what);
            }
        }
    }

    @Test
    public void unscaleAndCheckRefusesAFlagThatIsNotOneFloat32() {
        Backend be = backend();
        Random rnd = new Random(1);
        Operand grad = input(be, DType.FLOAT32, new int[]{3}, Layout.CONTIGUOUS, rnd, new double[]{1, 2, 3});
        Operand wide = input(be, DType.FLOAT64, new int[]{1}, Layout.CONTIGUOUS, rnd, new double[]{0});
        Operand two = input(be, DType.FLOAT32, new int[]{2}, Layout.CONTIGUOUS, rnd, new double[]{0, 0});
        assertThrows(IllegalArgumentException.class, () -> be.unscaleAndCheck(grad.view, wide.view, 0.5));
        assertThrows(IllegalArgumentException.class, () -> be.unscaleAndCheck(grad.view, two.view, 0.5));
        assertEquals(2.0, read(be, grad.view)[1], "a refused call changes nothing");
    }
}
