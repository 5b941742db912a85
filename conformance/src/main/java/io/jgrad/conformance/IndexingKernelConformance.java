package io.jgrad.conformance;

import static io.jgrad.conformance.KernelViews.OUTPUT_LAYOUTS;
import static io.jgrad.conformance.KernelViews.assertUntouched;
import static io.jgrad.conformance.KernelViews.input;
import static io.jgrad.conformance.KernelViews.output;
import static io.jgrad.conformance.KernelViews.randomShape;
import static io.jgrad.conformance.KernelViews.read;
import static io.jgrad.conformance.KernelViews.uniform;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgrad.DType;
import io.jgrad.conformance.KernelViews.Layout;
import io.jgrad.conformance.KernelViews.Operand;
import io.jgrad.spi.Backend;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@code gather} and {@code scatterAdd}: PyTorch's semantics, repeated indices, and out-of-bounds indices.
 * <p>
 * A backend runs it through a one-line subclass; see {@link KernelConformance} for the inputs, layouts and tolerances.
 */
public abstract class IndexingKernelConformance extends KernelConformance {
    @Test
    public void gatherMatchesTorchSemantics() {
        Backend be = backend();
        for (DType dt : KernelViews.CORE_DTYPES) {
            for (int c = 0; c < 10; c++) {
                Random rnd = new Random(10_000 + 10 * dt.ordinal() + c);
                int rank = 1 + c % 3;
                int[] inShape = randomShape(rnd, rank, 6);
                int dim = rnd.nextInt(rank);
                int[] idxShape = new int[rank];
                for (int d = 0; d < rank; d++) idxShape[d] = d == dim ? 1 + rnd.nextInt(8) : 1 + rnd.nextInt(inShape[d]);
                int bound = inShape[dim];
                Operand in = input(be, dt, inShape, ALL_LAYOUTS[c % ALL_LAYOUTS.length], rnd, uniform(rnd, -50, 50));
                Operand index = input(be, DType.INT64, idxShape, ALL_LAYOUTS[(c + 2) % ALL_LAYOUTS.length], rnd,
                        () -> rnd.nextInt(bound));
                Operand out = output(be, dt, idxShape, OUTPUT_LAYOUTS[c % OUTPUT_LAYOUTS.length], rnd);
                be.gather(out.view, in.view, dim, index.view);
                double[] got = read(be, out.view);
                int[] pos = new int[rank];
                for (int i = 0; i < got.length; i++) {
                    KernelViews.unravel(i, idxShape, pos);
                    pos[dim] = (int) index.values[i];
                    double want = in.values[KernelViews.ravel(pos, inShape)];
                    assertEquals(want, got[i], "gather " + dt + " dim " + dim + " at " + i + " (in " + in + ", index " + index + ")");
                }
                assertUntouched(be, out.view, "gather");
            }
        }
    }

    @Test
    public void scatterAddAccumulatesRepeatedIndices() {
        Backend be = backend();
        for (DType dt : KernelViews.CORE_DTYPES) {
            for (int c = 0; c < 10; c++) {
                Random rnd = new Random(11_000 + 10 * dt.ordinal() + c);
                int rank = 1 + c % 3;
                int[] outShape = randomShape(rnd, rank, 5);
                int dim = rnd.nextInt(rank);
                int[] idxShape = new int[rank];
                for (int d = 0; d < rank; d++) idxShape[d] = d == dim ? 2 + rnd.nextInt(10) : 1 + rnd.nextInt(outShape[d]);
                int bound = outShape[dim];
                Operand out = input(be, dt, outShape, OUTPUT_LAYOUTS[c % OUTPUT_LAYOUTS.length], rnd, uniform(rnd, -5, 5));
                // more index entries along dim than out has: indices repeat
                Operand index = input(be, DType.INT64, idxShape, ALL_LAYOUTS[(c + 1) % ALL_LAYOUTS.length], rnd,
                        () -> rnd.nextInt(bound));
                Operand src = input(be, dt, idxShape, ALL_LAYOUTS[(c + 4) % ALL_LAYOUTS.length], rnd, uniform(rnd, -5, 5));
                be.scatterAdd(out.view, dim, index.view, src.view);
                double[] want = out.values.clone();
                double[] mag = new double[want.length];
                int[] pos = new int[rank];
                for (int i = 0; i < src.values.length; i++) {
                    KernelViews.unravel(i, idxShape, pos);
                    pos[dim] = (int) index.values[i];
                    int at = KernelViews.ravel(pos, outShape);
                    want[at] += src.values[i];
                    mag[at] += Math.abs(src.values[i]) + Math.abs(out.values[at]);
                }
                double[] got = read(be, out.view);
                String what = "scatterAdd " + dt + " dim " + dim + " (out " + out + ")";
                for (int i = 0; i < got.length; i++) {
                    double tol = dt == DType.FLOAT32 ? 1e-6 * mag[i] : dt == DType.FLOAT64 ? 1e-14 * mag[i] : 0;
                    assertClose(want[i], got[i], 0, tol, what, i, "");
                }
            }
        }
    }

    @Test
    public void gatherAndScatterAddRejectIndicesOutOfBounds() {
        Backend be = backend();
        for (long bad : new long[]{3, -1, 1000}) {
            Operand in = input(be, DType.FLOAT32, new int[]{2, 3}, Layout.CONTIGUOUS, new Random(1), uniform(new Random(1), 0, 1));
            Operand index = input(be, DType.INT64, new int[]{2, 2}, Layout.CONTIGUOUS, new Random(1), new double[]{0, 1, 2, bad});
            Operand out = output(be, DType.FLOAT32, new int[]{2, 2}, Layout.CONTIGUOUS, new Random(1));
            IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class,
                    () -> be.gather(out.view, in.view, 1, index.view));
            assertTrue(e.getMessage().contains(Long.toString(bad)), "the message names the index: " + e.getMessage());
            Operand src = input(be, DType.FLOAT32, new int[]{2, 2}, Layout.CONTIGUOUS, new Random(1), uniform(new Random(1), 0, 1));
            e = assertThrows(IndexOutOfBoundsException.class, () -> be.scatterAdd(in.view, 1, index.view, src.view));
            assertTrue(e.getMessage().contains(Long.toString(bad)), "the message names the index: " + e.getMessage());
        }
    }
}
