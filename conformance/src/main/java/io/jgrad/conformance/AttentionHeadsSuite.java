package io.jgrad.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgrad.AttentionHeads;
import io.jgrad.DType;
import io.jgrad.Device;
import io.jgrad.GradCheck;
import io.jgrad.Tensor;
import org.junit.jupiter.api.Test;

/**
 * AttentionHeads.split: each part against the element formula and against the composition it replaces (narrow,
 * reshape, transpose, contiguous), forward and backward, bit for bit; a part that gets no gradient; a strided input;
 * a float64 gradient check; the refusals.
 */
public abstract class AttentionHeadsSuite {
    protected abstract Device device();

    private Tensor ramp(DType dt, int... shape) {
        int n = 1;
        for (int d : shape) n *= d;
        double[] x = new double[n];
        for (int i = 0; i < n; i++) x[i] = Math.sin(0.37 * i + 0.1) * (1 + i % 5);
        return Tensor.of(x, shape).to(dt).to(device());
    }

    private static Tensor composed(Tensor x, int p, int parts, int heads) {
        int n = x.size(0), t = x.size(1), e = x.size(2) / parts;
        return x.narrow(2, p * e, e).reshape(n, t, heads, e / heads).transpose(1, 2).contiguous();
    }

    @Test
    void partsFollowTheElementFormula() {
        int n = 2, t = 3, parts = 3, heads = 2, d = 4, e = heads * d, c = parts * e;
        Tensor x = ramp(DType.FLOAT64, n, t, c);
        double[] xs = x.toDoubleArray();
        Tensor[] out = AttentionHeads.split(x, parts, heads);
        assertEquals(parts, out.length);
        for (int p = 0; p < parts; p++) {
            assertArrayEquals(new int[]{n, heads, t, d}, out[p].shape().toArray(), "part " + p);
            assertTrue(out[p].contiguous() == out[p], "part " + p + " is contiguous");
            double[] got = out[p].toDoubleArray();
            for (int i = 0; i < n; i++) {
                for (int h = 0; h < heads; h++) {
                    for (int s = 0; s < t; s++) {
                        for (int j = 0; j < d; j++) {
                            double want = xs[(i * t + s) * c + p * e + h * d + j];
                            assertEquals(want, got[((i * heads + h) * t + s) * d + j], 0.0, "part " + p + " [" + i + "," + h + "," + s + "," + j + "]");
                        }
                    }
                }
            }
        }
    }

    private void matchesComposition(DType dt, Tensor x, int parts, int heads, boolean useLast) {
        Tensor xa = x.detach().requiresGrad(true), xb = x.detach().requiresGrad(true);
        Tensor[] got = AttentionHeads.split(xa, parts, heads);
        Tensor lossA = null, lossB = null;
        for (int p = 0; p < parts; p++) {
            Tensor want = composed(xb, p, parts, heads);
            assertArrayEquals(want.toDoubleArray(), got[p].toDoubleArray(), 0.0, dt + " part " + p);
            if (p == parts - 1 && !useLast) continue;
            Tensor w = ramp(dt, got[p].shape().toArray()).mul(0.5 + p);
            Tensor a = got[p].mul(w).sum(), b = want.mul(w).sum();
            lossA = lossA == null ? a : lossA.add(a);
            lossB = lossB == null ? b : lossB.add(b);
        }
        lossA.backward();
        lossB.backward();
        assertArrayEquals(xb.grad().toDoubleArray(), xa.grad().toDoubleArray(), 0.0, dt + " gradient");
    }

    @Test
    void matchesTheCompositionForwardAndBackward() {
        for (DType dt : new DType[]{DType.FLOAT32, DType.FLOAT64}) {
            matchesComposition(dt, ramp(dt, 3, 5, 3 * 12), 3, 4, true);
            matchesComposition(dt, ramp(dt, 2, 16, 3 * 64), 3, 4, true);
            matchesComposition(dt, ramp(dt, 2, 4, 2 * 6), 2, 1, true);
        }
    }

    @Test
    void aPartWithoutGradientGetsZeros() {
        Tensor x = ramp(DType.FLOAT32, 2, 5, 3 * 8);
        matchesComposition(DType.FLOAT32, x, 3, 2, false);
        Tensor xa = x.detach().requiresGrad(true);
        Tensor[] parts = AttentionHeads.split(xa, 3, 2);
        parts[0].sum().backward();
        double[] g = xa.grad().toDoubleArray();
        for (int i = 0; i < g.length; i++) assertEquals(i % 24 < 8 ? 1.0 : 0.0, g[i], 0.0, "gradient [" + i + "]");
    }

    @Test
    void takesAStridedInput() {
        Tensor big = ramp(DType.FLOAT32, 6, 4, 40);
        Tensor x = big.transpose(0, 1).narrow(2, 3, 36); // [4, 6, 36], strided
        matchesComposition(DType.FLOAT32, x, 3, 3, true);
    }

    @Test
    void noGraphWithoutGrad() {
        Tensor[] parts = AttentionHeads.split(ramp(DType.FLOAT32, 2, 3, 12), 3, 2);
        for (Tensor p : parts) {
            assertTrue(!p.requiresGrad());
            assertNull(p.grad());
        }
    }

    @Test
    void gradcheckFloat64() {
        Tensor x = ramp(DType.FLOAT64, 2, 3, 3 * 4).requiresGrad(true);
        Tensor w = ramp(DType.FLOAT64, 2, 2, 3, 2);
        GradCheck.check(in -> {
            Tensor[] p = AttentionHeads.split(in[0], 3, 2);
            return p[0].mul(w).add(p[1].mul(p[2])).sum();
        }, x).assertPassed();
    }

    @Test
    void refusesBadShapes() {
        Tensor x = ramp(DType.FLOAT32, 2, 3, 12);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AttentionHeads.split(ramp(DType.FLOAT32, 6, 12), 3, 2));
        assertTrue(e.getMessage().contains("AttentionHeads.split") && e.getMessage().contains("[6, 12]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> AttentionHeads.split(x, 5, 1));
        assertTrue(e.getMessage().contains("parts 5"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> AttentionHeads.split(x, 3, 3));
        assertTrue(e.getMessage().contains("heads 3"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> AttentionHeads.split(x, 0, 2));
        assertThrows(IllegalArgumentException.class, () -> AttentionHeads.split(x, 3, 0));
    }
}
