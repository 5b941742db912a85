package io.jgrad.conformance;

import static io.jgrad.conformance.KernelViews.OUTPUT_LAYOUTS;
import static io.jgrad.conformance.KernelViews.assertUntouched;
import static io.jgrad.conformance.KernelViews.input;
import static io.jgrad.conformance.KernelViews.output;
import static io.jgrad.conformance.KernelViews.randomShape;
import static io.jgrad.conformance.KernelViews.read;
import static io.jgrad.conformance.KernelViews.uniform;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgrad.DType;
import io.jgrad.conformance.KernelViews.Layout;
import io.jgrad.conformance.KernelViews.Operand;
import io.jgrad.spi.Backend;
import io.jgrad.spi.Buffer;
import io.jgrad.spi.CounterRandom;
import io.jgrad.spi.Distribution;
import io.jgrad.spi.View;
import java.util.Random;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Test;

/**
 * Buffers and the kernels that write them whole: allocate, upload and download of every dtype, copy with dtype
 * conversion in any layout, fill, and the counter-based random stream.
 * <p>
 * A backend runs it through a one-line subclass; see {@link KernelConformance} for the inputs, layouts and tolerances.
 */
public abstract class BufferKernelConformance extends KernelConformance {
    // ---------------------------------------------------------------- memory

    @Test
    public void uploadDownloadRoundTripsEveryDtype() {
        Backend be = backend();
        float[] f = {1.5f, -2f, Float.NaN, Float.POSITIVE_INFINITY, 3e-40f};
        double[] d = {1.5, -2, Double.NaN, Double.NEGATIVE_INFINITY, 4.9e-324};
        long[] l = {1, -2, Long.MAX_VALUE, Long.MIN_VALUE, 0};
        try (Buffer bf = be.upload(f); Buffer bd = be.upload(d); Buffer bl = be.upload(l)) {
            assertEquals(DType.FLOAT32, bf.dtype());
            assertEquals(DType.FLOAT64, bd.dtype());
            assertEquals(DType.INT64, bl.dtype());
            assertEquals(5, bf.length());
            assertEquals(be.device(), bf.device());
            float[] f2 = new float[5];
            be.download(bf, 0, f2, 0, 5);
            assertArrayEquals(f, f2);
            double[] d2 = new double[5];
            be.download(bd, 0, d2, 0, 5);
            assertArrayEquals(d, d2);
            long[] l2 = new long[7];
            be.download(bl, 1, l2, 2, 3); // partial: source and destination offsets
            assertArrayEquals(new long[]{0, 0, -2, Long.MAX_VALUE, Long.MIN_VALUE, 0, 0}, l2);
        }
        f[0] = 99f; // upload copies: later host writes do not reach the buffer
        try (Buffer bf = be.upload(new float[]{7f})) {
            float[] back = new float[1];
            be.download(bf, 0, back, 0, 1);
            assertEquals(7f, back[0]);
        }
    }

    @Test
    public void allocateGivesBuffersOfTheRequestedSizeAndClosingIsFinal() {
        Backend be = backend();
        for (DType dt : KernelViews.CORE_DTYPES) {
            Buffer b = be.allocate(dt, 37);
            assertEquals(dt, b.dtype());
            assertEquals(37, b.length());
            assertFalse(b.isClosed());
            View v = View.contiguous(b, 37);
            be.fill(v, 3);
            assertEquals(3.0, read(be, v)[36]);
            b.close();
            assertTrue(b.isClosed());
            b.close(); // closing twice is harmless
            assertThrows(RuntimeException.class, () -> be.fill(v, 1), "a kernel on a closed " + dt + " buffer");
        }
        try (Buffer empty = be.allocate(DType.FLOAT32, 0)) {
            assertEquals(0, empty.length());
        }
    }

    // ---------------------------------------------------------------- copy / fill / random

    @Test
    public void copyConvertsBetweenAllDtypesInAnyLayout() {
        Backend be = backend();
        for (DType from : KernelViews.CORE_DTYPES) {
            for (DType to : KernelViews.CORE_DTYPES) {
                for (int c = 0; c < 6; c++) {
                    Random rnd = new Random(12_000 + 100 * from.ordinal() + 10 * to.ordinal() + c);
                    int[] shape = randomShape(rnd, c % 5, 6);
                    // integers, halves and a few big values: every conversion is exact or a defined truncation
                    DoubleSupplier gen = () -> rnd.nextInt(4) == 0 ? 1e6 * (rnd.nextInt(2000) - 1000) : 0.5 * (rnd.nextInt(41) - 20);
                    Operand in = input(be, from, shape, ALL_LAYOUTS[c % ALL_LAYOUTS.length], rnd, gen);
                    Operand out = output(be, to, shape, OUTPUT_LAYOUTS[c % OUTPUT_LAYOUTS.length], rnd);
                    be.copy(out.view, in.view);
                    double[] got = read(be, out.view);
                    for (int i = 0; i < got.length; i++) {
                        double v = in.values[i];
                        double want = to == DType.INT64 ? (double) (long) v : to == DType.FLOAT32 ? (float) v : v;
                        assertEquals(want, got[i], "copy " + from + " -> " + to + " at " + i + " (in " + in + ", out " + out + ")");
                    }
                    assertUntouched(be, out.view, "copy");
                }
            }
        }
        // a big transposed copy (the strided path across threads)
        Random rnd = new Random(12_999);
        Operand in = input(be, DType.FLOAT32, new int[]{420, 400}, Layout.TRANSPOSED, rnd, uniform(rnd, -1, 1));
        Operand out = output(be, DType.FLOAT32, new int[]{420, 400}, Layout.CONTIGUOUS, rnd);
        be.copy(out.view, in.view);
        assertArrayEquals(in.values, read(be, out.view), "big transposed copy");
    }

    @Test
    public void fillWritesEveryElementOfTheViewAndNothingElse() {
        Backend be = backend();
        for (DType dt : KernelViews.CORE_DTYPES) {
            for (int c = 0; c < 6; c++) {
                Random rnd = new Random(13_000 + 10 * dt.ordinal() + c);
                int[] shape = randomShape(rnd, c % 5, 7);
                Operand out = output(be, dt, shape, OUTPUT_LAYOUTS[c % OUTPUT_LAYOUTS.length], rnd);
                be.fill(out.view, 42);
                for (double v : read(be, out.view)) assertEquals(42.0, v, "fill " + dt + " " + out);
                assertUntouched(be, out.view, "fill");
            }
        }
    }

    @Test
    public void randomWritesTheCounterRandomStreamInRowMajorOrder() {
        Backend be = backend();
        for (Distribution dist : Distribution.values()) {
            for (DType dt : FLOATS) {
                for (int c = 0; c < 5; c++) {
                    Random rnd = new Random(14_000 + 100 * dist.ordinal() + 10 * dt.ordinal() + c);
                    int[] shape = c == 4 ? new int[]{300, 250} : randomShape(rnd, c % 4, 9);
                    Operand out = output(be, dt, shape, OUTPUT_LAYOUTS[c % OUTPUT_LAYOUTS.length], rnd);
                    long seed = rnd.nextLong();
                    double a = dist == Distribution.UNIFORM ? -2 : 0.5, b = dist == Distribution.UNIFORM ? 3 : 2;
                    be.random(out.view, dist, seed, a, b);
                    double[] got = read(be, out.view);
                    String what = "random " + dist + " " + dt + " " + out + " seed " + seed;
                    for (int i = 0; i < got.length; i++) {
                        double want = round(dt, CounterRandom.sample(dist, seed, i, a, b));
                        // uniform is exact arithmetic; normal goes through log and cos, which device libraries may
                        // round differently in the last bit
                        double rel = dist == Distribution.UNIFORM ? 0 : dt == DType.FLOAT32 ? 0x1p-23 : 1e-14;
                        assertClose(want, got[i], rel, dist == Distribution.UNIFORM ? 0 : 1e-14, what, i, "");
                    }
                    assertUntouched(be, out.view, "random");
                }
            }
        }
    }
}
