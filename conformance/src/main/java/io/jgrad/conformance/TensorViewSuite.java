package io.jgrad.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.jgrad.DType;
import io.jgrad.Grad;
import io.jgrad.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Views and copies: reshape (including of non-contiguous inputs), view, flatten, transpose, permute, expand,
 * squeeze/unsqueeze, slice with steps, narrow, select, indexSelect, gather, cat, stack, clone, contiguous and
 * dtype conversion. Values against index arithmetic written here; views must share memory; all pass GradCheck.
 */
public abstract class TensorViewSuite extends TensorBaseSuite {

    private static double[] seq(int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = i;
        return v;
    }

    /** Values of a permutation of a row-major array: out[idx] = x[idx permuted back]. */
    private static double[] permuted(double[] x, int[] shape, int[] perm) {
        int[] out = new int[perm.length];
        for (int i = 0; i < perm.length; i++) out[i] = shape[perm[i]];
        double[] r = new double[x.length];
        for (int f = 0; f < r.length; f++) {
            int[] idx = unravel(f, out);
            int[] src = new int[perm.length];
            for (int i = 0; i < perm.length; i++) src[perm[i]] = idx[i];
            r[f] = x[ravel(src, shape)];
        }
        return r;
    }

    @Test
    void transposeAndPermuteMoveAxes() {
        double[] x = seq(24);
        Tensor t = f32(x, 2, 3, 4);
        assertShape(t.transpose(0, 2), 4, 3, 2);
        assertExactly(permuted(x, new int[]{2, 3, 4}, new int[]{2, 1, 0}), t.transpose(0, 2), "transpose(0, 2)");
        assertExactly(permuted(x, new int[]{2, 3, 4}, new int[]{0, 2, 1}), t.transpose(-1, -2), "transpose(-1, -2)");
        assertExactly(permuted(x, new int[]{2, 3, 4}, new int[]{1, 2, 0}), t.permute(1, 2, 0), "permute(1, 2, 0)");
        assertExactly(transposed(seq(6), 2, 3), f32(seq(6), 2, 3).t(), "t()");
        assertShape(f32(seq(3), 3).t(), 3);
    }

    @Test
    void reshapeOfNonContiguousInputsKeepsRowMajorOrder() {
        double[] x = seq(24);
        int[] shape = {2, 3, 4};
        // (view, its values in row-major order, reshape target)
        Tensor tr = f32(x, shape).transpose(0, 2);                                     // [4, 3, 2]
        double[] trv = permuted(x, shape, new int[]{2, 1, 0});
        assertExactly(trv, tr.reshape(6, 4), "transpose then reshape");
        assertExactly(trv, tr.reshape(-1), "transpose then flatten");
        assertExactly(trv, tr.reshape(2, 2, 3, 2), "transpose then split");
        Tensor pm = f32(x, shape).permute(1, 0, 2);                                     // [3, 2, 4]: last axis still dense
        double[] pmv = permuted(x, shape, new int[]{1, 0, 2});
        assertExactly(pmv, pm.reshape(3, 8), "permute then merge");
        assertExactly(pmv, pm.reshape(3, 2, 2, 2), "permute then split the dense axis");
        Tensor sl = f32(x, shape).slice(2, 1, 4, 2);                                    // [2, 3, 2], stepped
        double[] slv = new double[12];
        for (int i = 0; i < 6; i++) for (int j = 0; j < 2; j++) slv[i * 2 + j] = x[i * 4 + 1 + 2 * j];
        assertExactly(slv, sl.reshape(12), "stepped slice then flatten");
        assertExactly(slv, sl.reshape(6, 2), "stepped slice then merge leading axes (a view)");
        assertExactly(slv, sl.flatten(0, 1), "flatten(0, 1)");
        Tensor ex = f32(seq(3), 3, 1).expand(3, 4);
        assertExactly(new double[]{0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2}, ex.reshape(12), "expanded then reshaped");
    }

    @Test
    void viewsShareMemoryWithTheirBase() {
        Tensor base = f32(seq(12), 3, 4);
        Tensor[] views = {
                base.reshape(4, 3), base.view(2, 6), base.t(), base.slice(1, 1, 3), base.narrow(0, 1, 2),
                base.select(0, 2), base.unsqueeze(0), base.permute(1, 0), base.flatten()};
        try (Grad.Mode ignored = Grad.disabled()) {
            base.addInPlace(100);
        }
        for (Tensor v : views) {
            double[] d = v.toDoubleArray();
            for (double e : d) assertEquals(true, e >= 100, "a view sees writes to its base: " + v.shape());
        }
        // and writes through a view land in the base
        base.select(1, 0).fill(-1);
        assertExactly(new double[]{-1, 101, 102, 103, -1, 105, 106, 107, -1, 109, 110, 111}, base, "write through select");
        // A reshape of a non-viewable input is a copy, not a view.
        Tensor copy = base.t().reshape(12);
        base.fill(0);
        assertEquals(-1, copy.toDoubleArray()[0], 0, "reshape of a transpose copied the data");
    }

    @Test
    void expandSqueezeAndUnsqueeze() {
        Tensor t = f32(new double[]{1, 2, 3}, 3, 1);
        assertExactly(new double[]{1, 1, 2, 2, 3, 3}, t.expand(3, 2), "expand");
        assertExactly(new double[]{1, 1, 2, 2, 3, 3, 1, 1, 2, 2, 3, 3}, t.expand(2, -1, 2), "expand with a new leading axis");
        assertSame(t, t.expand(3, 1), "expanding to the same shape is a no-op");
        Tensor u = f32(seq(6), 1, 2, 1, 3, 1);
        assertShape(u.squeeze(), 2, 3);
        assertShape(u.squeeze(0), 2, 1, 3, 1);
        assertShape(u.squeeze(-1), 1, 2, 1, 3);
        assertShape(u.squeeze(1), 1, 2, 1, 3, 1); // not size 1: unchanged
        assertShape(f32(seq(6), 2, 3).unsqueeze(0), 1, 2, 3);
        assertShape(f32(seq(6), 2, 3).unsqueeze(2), 2, 3, 1);
        assertShape(f32(seq(6), 2, 3).unsqueeze(-1), 2, 3, 1);
        assertShape(f32(seq(6), 2, 3).unsqueeze(-3), 1, 2, 3);
        // unsqueeze and squeeze of a transposed tensor stay views of it
        Tensor tt = f32(seq(6), 2, 3).t();
        assertExactly(transposed(seq(6), 2, 3), tt.unsqueeze(1).squeeze(1), "squeeze(unsqueeze) of a transpose");
    }

    @Test
    void sliceNarrowAndSelect() {
        double[] x = seq(30);
        Tensor t = f32(x, 5, 6);
        assertExactly(new double[]{1, 3, 5, 7, 9, 11, 13, 15, 17}, t.slice(1, 1, 6, 2).slice(0, 0, 3), "slice step 2");
        assertExactly(new double[]{12, 15, 24, 27}, t.slice(0, 2, 5, 2).slice(1, 0, 6, 3), "slice steps on both axes");
        assertExactly(new double[]{24, 25, 26, 27, 28, 29}, t.slice(0, -1, 5), "negative start");
        assertShape(t.slice(1, 4, 100), 5, 2);  // end clamped
        assertShape(t.slice(1, 5, 2), 5, 0);    // empty
        assertExactly(new double[]{8, 9, 14, 15}, t.narrow(0, 1, 2).narrow(1, 2, 2), "narrow");
        assertExactly(new double[]{2, 8, 14, 20, 26}, t.select(1, 2), "select column");
        assertExactly(new double[]{24, 25, 26, 27, 28, 29}, t.select(0, -1), "select last row");
        assertShape(t.select(0, 0).select(0, 0));
    }

    @Test
    void indexSelectAndGather() {
        double[] x = seq(12);
        Tensor t = f32(x, 3, 4);
        Tensor idx = Tensor.of(new long[]{2, 0, 2});
        assertExactly(new double[]{8, 9, 10, 11, 0, 1, 2, 3, 8, 9, 10, 11}, t.indexSelect(0, idx), "indexSelect rows, repeated");
        assertExactly(new double[]{2, 0, 2, 6, 4, 6, 10, 8, 10}, t.indexSelect(1, idx), "indexSelect columns");
        assertExactly(new double[]{4, 5, 6, 7, 0, 1}, t.t().indexSelect(1, Tensor.of(new long[]{1, 0})).t().reshape(-1).slice(0, 0, 6),
                "indexSelect of a strided input");
        Tensor g = t.gather(1, Tensor.of(new long[]{3, 0, 1, 1, 2, 2}, 3, 2));
        assertExactly(new double[]{3, 0, 5, 5, 10, 10}, g, "gather dim 1");
        Tensor g0 = t.gather(0, Tensor.of(new long[]{2, 1, 0, 0}, 1, 4));
        assertExactly(new double[]{8, 5, 2, 3}, g0, "gather dim 0");
    }

    @Test
    void catAndStack() {
        Tensor a = f32(seq(6), 2, 3), b = f32(new double[]{10, 11, 12}, 1, 3), c = f32(new double[]{20, 21, 22, 23}, 2, 2);
        assertExactly(new double[]{0, 1, 2, 3, 4, 5, 10, 11, 12}, Tensor.cat(List.of(a, b), 0), "cat dim 0");
        assertExactly(new double[]{0, 1, 2, 20, 21, 3, 4, 5, 22, 23}, Tensor.cat(List.of(a, c), 1), "cat dim 1");
        assertExactly(new double[]{0, 3, 10, 1, 4, 11, 2, 5, 12}, Tensor.cat(List.of(a.t(), b.t()), -1), "cat of strided inputs");
        Tensor s0 = Tensor.stack(List.of(a, a.mul(-1)), 0);
        assertShape(s0, 2, 2, 3);
        assertExactly(new double[]{0, 1, 2, 3, 4, 5, 0, -1, -2, -3, -4, -5}, s0, "stack dim 0");
        Tensor s2 = Tensor.stack(List.of(a, a.mul(-1)), 2);
        assertShape(s2, 2, 3, 2);
        assertExactly(new double[]{0, 0, 1, -1, 2, -2, 3, -3, 4, -4, 5, -5}, s2, "stack last");
        assertShape(Tensor.stack(List.of(Tensor.scalar(1f), Tensor.scalar(2f)), 0), 2);
    }

    @Test
    void dtypeConversionsRoundAndTruncateLikeCasts() {
        Tensor d = Tensor.of(new double[]{1.5, -2.7, 1e-40, 3.25});
        Tensor f = d.to(DType.FLOAT32);
        assertEquals(DType.FLOAT32, f.dtype());
        assertExactly(new double[]{1.5, (float) -2.7, (float) 1e-40, 3.25}, f, "float64 -> float32 rounds");
        assertExactly(new double[]{1, -2, 0, 3}, d.to(DType.INT64), "float -> int64 truncates toward zero");
        assertEquals(DType.INT64, d.to(DType.INT64).dtype());
        assertExactly(new double[]{7, -3}, Tensor.of(new long[]{7, -3}).to(DType.FLOAT64), "int64 -> float64");
        assertSame(d, d.to(DType.FLOAT64), "same dtype: no copy");
        assertExactly(transposed(seq(6), 2, 3), f32(seq(6), 2, 3).t().to(DType.FLOAT64), "conversion of a strided input");
    }

    @Test
    void cloneAndContiguousCopyOnlyWhenNeeded() {
        Tensor t = f32(seq(6), 2, 3);
        assertSame(t, t.contiguous());
        Tensor c = t.t().contiguous();
        assertExactly(transposed(seq(6), 2, 3), c, "contiguous of a transpose");
        Tensor k = t.clone();
        t.fill(7);
        assertExactly(seq(6), k, "a clone does not share memory");
    }

    @Test
    void viewOpsPassGradCheck() {
        Tensor x = f64(uniform(1, 24, -1, 1), 2, 3, 4).requiresGrad(true);
        gradcheck(in -> in[0].reshape(4, 6), x);
        gradcheck(in -> in[0].transpose(0, 2).reshape(6, 4), x);      // reshape of a non-contiguous input
        gradcheck(in -> in[0].permute(2, 0, 1).reshape(-1, 3), x);
        gradcheck(in -> in[0].view(6, 4), x);
        gradcheck(in -> in[0].flatten(1, 2), x);
        gradcheck(in -> in[0].transpose(1, -1), x);
        gradcheck(in -> in[0].permute(1, 2, 0), x);
        gradcheck(in -> in[0].slice(2, 0, 4, 3), x);                   // step 3
        gradcheck(in -> in[0].slice(1, -2, 3).slice(2, 1, 4, 2), x);
        gradcheck(in -> in[0].narrow(2, 1, 2), x);
        gradcheck(in -> in[0].select(1, 1), x);
        gradcheck(in -> in[0].select(-1, -1), x);
        gradcheck(in -> in[0].clone(), x);
        gradcheck(in -> in[0].t().contiguous(), f64(uniform(2, 6, -1, 1), 2, 3).requiresGrad(true));
        Tensor small = f64(uniform(3, 3, -1, 1), 3, 1).requiresGrad(true);
        gradcheck(in -> in[0].expand(2, 3, 4), small);
        gradcheck(in -> in[0].squeeze(), small);
        gradcheck(in -> in[0].unsqueeze(0), small);
        gradcheck(in -> in[0].squeeze(1).unsqueeze(0).expand(2, 3), small);
    }

    @Test
    void dtypeConversionIsDifferentiableBetweenFloatingTypes() {
        Tensor x = f64(new double[]{0.5, -1.25, 2}, 3).requiresGrad(true);
        Tensor y = x.to(DType.FLOAT32);
        assertEquals("ToDTypeBackward", y.gradFnName());
        y.mul(y).sum().backward();
        assertEquals(DType.FLOAT64, x.grad().dtype());
        assertExactly(new double[]{1, -2.5, 4}, x.grad(), "d sum(x^2) through float32");
        // Central differences through float32 rounding need a wide step; the function is linear, so that is exact.
        io.jgrad.GradCheck.check(in -> in[0].to(DType.FLOAT32).mul(3).to(DType.FLOAT64), 1e-2, 1e-4, 1e-4,
                f64(new double[]{0.5, -1.25, 2}, 3).requiresGrad(true)).assertPassed();
        // To int64 there is no gradient: the result is a constant.
        assertEquals(false, x.to(DType.INT64).requiresGrad());
    }

    @Test
    void indexingOpsPassGradCheckWithRepeatedIndices() {
        Tensor x = f64(uniform(4, 12, -1, 1), 3, 4).requiresGrad(true);
        Tensor rows = Tensor.of(new long[]{2, 0, 2, 2});
        gradcheck(in -> in[0].indexSelect(0, rows), x);
        gradcheck(in -> in[0].indexSelect(1, Tensor.of(new long[]{3, 3, 1})), x);
        gradcheck(in -> in[0].gather(1, Tensor.of(new long[]{0, 0, 3, 1, 1, 1, 2, 3, 2}, 3, 3)), x);
        gradcheck(in -> in[0].gather(0, Tensor.of(new long[]{2, 2, 0, 1}, 1, 4)), x);
        // Repeated indices add up: row 2 picked three times gets three times the gradient.
        x.indexSelect(0, rows).sum().backward();
        assertExactly(new double[]{1, 1, 1, 1, 0, 0, 0, 0, 3, 3, 3, 3}, x.grad(), "indexSelect gradient");
    }

    @Test
    void catAndStackPassGradCheck() {
        Tensor a = f64(uniform(5, 6, -1, 1), 2, 3).requiresGrad(true);
        Tensor b = f64(uniform(6, 3, -1, 1), 1, 3).requiresGrad(true);
        Tensor c = f64(uniform(7, 4, -1, 1), 2, 2).requiresGrad(true);
        gradcheck(in -> Tensor.cat(List.of(in[0], in[1]), 0), a, b);
        gradcheck(in -> Tensor.cat(List.of(in[0], in[1], in[0]), 1), a, c);
        gradcheck(in -> Tensor.stack(List.of(in[0], in[0].mul(2), in[1]), 1), a, a.detach().add(1).requiresGrad(true));
        // A constant among the inputs gets no gradient and does not disturb the others.
        Tensor constant = Tensor.of(new double[]{1, 2, 3}, 1, 3);
        gradcheck(in -> Tensor.cat(List.of(constant, in[0]), 0), b);
    }
}
