package io.jgrad.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.jgrad.DType;
import io.jgrad.Tensor;
import org.junit.jupiter.api.Test;

/** In-place writes: results, broadcasting, dtype conversion on copy, version counters, and unsafe aliasing. */
public abstract class TensorInPlaceSuite extends TensorBaseSuite {

    @Test
    void arithmeticInPlaceBroadcastsTheOperand() {
        Tensor t = Tensor.of(new float[]{1, 2, 3, 4, 5, 6}, 2, 3);
        assertSame(t, t.addInPlace(Tensor.of(new float[]{10, 20, 30})));
        assertExactly(new double[]{11, 22, 33, 14, 25, 36}, t, "addInPlace row");
        t.subInPlace(Tensor.of(new float[]{1, 2}, 2, 1));
        assertExactly(new double[]{10, 21, 32, 12, 23, 34}, t, "subInPlace column");
        t.mulInPlace(Tensor.scalar(0.5f));
        assertExactly(new double[]{5, 10.5, 16, 6, 11.5, 17}, t, "mulInPlace scalar tensor");
        t.addInPlace(Tensor.ones(3), -2);
        assertExactly(new double[]{3, 8.5, 14, 4, 9.5, 15}, t, "axpy");
        t.mulInPlace(2).addInPlace(-1);
        assertExactly(new double[]{5, 16, 27, 7, 18, 29}, t, "affine");
        t.zero();
        assertExactly(new double[6], t, "zero");
    }

    @Test
    void writesThroughStridedViews() {
        Tensor t = Tensor.zeros(3, 4);
        t.t().slice(0, 1, 4, 2).fill(1);          // columns 1 and 3
        assertExactly(new double[]{0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1}, t, "fill of strided view");
        t.select(0, 1).addInPlace(Tensor.of(new float[]{5, 5, 5, 5}));
        assertExactly(new double[]{0, 1, 0, 1, 5, 6, 5, 6, 0, 1, 0, 1}, t, "add into a row view");
    }

    @Test
    void copyFromBroadcastsAndConvertsDtype() {
        Tensor t = Tensor.zeros(2, 3);
        t.copyFrom(Tensor.of(new double[]{1.5, 2.5, 3.5}));
        assertEquals(DType.FLOAT32, t.dtype());
        assertExactly(new double[]{1.5, 2.5, 3.5, 1.5, 2.5, 3.5}, t, "copy broadcast float64 -> float32");
        Tensor l = Tensor.zeros(DType.INT64, 2);
        l.copyFrom(Tensor.of(new float[]{2.9f, -1.9f}));
        assertExactly(new double[]{2, -1}, l, "float -> int64 truncates");
        Tensor s = Tensor.of(new float[]{1, 2, 3, 4}, 2, 2);
        s.copyFrom(s.t().contiguous());
        assertExactly(new double[]{1, 3, 2, 4}, s, "copy of a cloned transpose");
    }

    @Test
    void everyWriteBumpsTheVersion() {
        Tensor t = Tensor.zeros(2);
        Tensor view = t.reshape(1, 2);
        int v0 = t.version();
        t.addInPlace(1);
        view.fill(2);
        t.copyFrom(Tensor.ones(2));
        assertEquals(v0 + 3, t.version());
        assertEquals(t.version(), view.version(), "views share the counter");
        t.add(1);
        assertEquals(v0 + 3, t.version(), "out-of-place ops do not write");
    }

    @Test
    void rejectsWritesThatWouldReadTheirOwnOutput() {
        Tensor t = Tensor.of(new float[]{1, 2, 3, 4}, 2, 2);
        assertFailsMentioning(IllegalArgumentException.class, () -> t.addInPlace(t.t()), "addInPlace", "shares memory");
        assertFailsMentioning(IllegalArgumentException.class, () -> t.copyFrom(t.select(0, 0)), "copyFrom", "shares memory");
        assertExactly(new double[]{1, 2, 3, 4}, t, "nothing was written");
        t.addInPlace(t);                                        // the very same elements: safe
        assertExactly(new double[]{2, 4, 6, 8}, t, "t += t");
        Tensor flat = Tensor.of(new float[]{1, 2, 3, 4});
        flat.slice(0, 0, 2).addInPlace(flat.slice(0, 2, 4)); // disjoint halves: safe
        assertExactly(new double[]{4, 6, 3, 4}, flat, "disjoint slices");
        assertFailsMentioning(IllegalArgumentException.class, () -> Tensor.of(new long[]{1}).addInPlace(1), "addInPlace", "int64");
        Tensor.of(new long[]{1, 2}).fill(7);                   // fill and copy take any dtype
    }
}
