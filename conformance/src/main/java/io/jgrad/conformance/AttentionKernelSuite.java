package io.jgrad.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jgrad.DType;
import io.jgrad.spi.Backend;
import io.jgrad.spi.Buffer;
import io.jgrad.spi.View;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A backend's fused {@code attentionForward} / {@code attentionBackward} against the SPI's default composition
 * (run by {@link KernelConformance.DefaultsOnly} on the same backend), at the SPI level: float32 and float64; shapes
 * that cross every backend's tile edges, one key or one query, and head dimensions up to 128 and beyond; no mask, a
 * dense additive mask with -inf entries (and, without causal, a row that may see no key, NaN in both), a key padding
 * mask with stride 0 over the queries, and a mask shared by all slices (stride 0) and read transposed; causal or not;
 * operands at an offset in their buffers; each subset of gradients. out, lse, dq, dk and dv must agree within float32
 * (or float64) rounding of the products' sizes, nothing outside the output views may change, and the backward must
 * give the same bits twice.
 */
public abstract class AttentionKernelSuite {

    /** The backend under test. */
    protected abstract Backend backend();

    private final List<Buffer> buffers = new ArrayList<>();

    @AfterEach
    public void closeBuffers() {
        buffers.forEach(Buffer::close);
        buffers.clear();
    }

    private enum MaskKind { NONE, DENSE, KEY_PADDING, SHARED_TRANSPOSED }

    /** Sentinel before and after every output view: must survive. */
    private static final double GUARD = 12345.0;
    private static final int PAD = 3;

    /** A buffer holding NaN, then the values, then NaN: a view at offset PAD sees the values. */
    private View input(Backend be, DType dt, double[] values, int... shape) {
        double[] padded = new double[values.length + 2 * PAD];
        java.util.Arrays.fill(padded, Double.NaN);
        System.arraycopy(values, 0, padded, PAD, values.length);
        return new View(upload(be, dt, padded), PAD, shape, View.contiguousStrides(shape));
    }

    /** An output view at offset PAD of a buffer filled with GUARD. */
    private View output(Backend be, DType dt, int... shape) {
        double[] padded = new double[(int) View.numel(shape) + 2 * PAD];
        java.util.Arrays.fill(padded, GUARD);
        return new View(upload(be, dt, padded), PAD, shape, View.contiguousStrides(shape));
    }

    private Buffer upload(Backend be, DType dt, double[] v) {
        Buffer b;
        if (dt == DType.FLOAT64) {
            b = be.upload(v);
        } else {
            float[] f = new float[v.length];
            for (int i = 0; i < v.length; i++) f[i] = (float) v[i];
            b = be.upload(f);
        }
        buffers.add(b);
        return b;
    }

    /** The view's elements in row-major order, after checking that the guards around it are untouched. */
    private static double[] read(Backend be, View v, String what) {
        int n = (int) View.numel(v.shape);
        double[] all = new double[n + 2 * PAD];
        if (v.dtype() == DType.FLOAT64) {
            be.download(v.buffer, 0, all, 0, all.length);
        } else {
            float[] f = new float[all.length];
            be.download(v.buffer, 0, f, 0, f.length);
            for (int i = 0; i < f.length; i++) all[i] = f[i];
        }
        for (int i = 0; i < PAD; i++) {
            assertEquals(GUARD, all[i], what + ": the element before the output view changed");
            assertEquals(GUARD, all[PAD + n + i], what + ": the element after the output view changed");
        }
        return java.util.Arrays.copyOfRange(all, PAD, PAD + n);
    }

    private static double[] gaussian(Random rnd, int n, double scale) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = scale * rnd.nextGaussian();
        return v;
    }

    /** The additive [b, l, s] mask view of a kind, or null. */
    private View mask(Backend be, DType dt, MaskKind kind, Random rnd, int b, int l, int s, boolean causal) {
        switch (kind) {
            case DENSE: {
                double[] m = gaussian(rnd, b * l * s, 0.7);
                for (int i = 0; i < m.length; i++) if (rnd.nextInt(5) == 0) m[i] = Double.NEGATIVE_INFINITY;
                for (int slice = 0; slice < b; slice++) for (int j = 0; j < s; j++) m[slice * l * s + j] = 0.25; // row 0 sees all
                if (!causal && l > 1) { // the last row of the last slice may see no key: NaN in both
                    for (int j = 0; j < s; j++) m[((b - 1) * l + l - 1) * s + j] = Double.NEGATIVE_INFINITY;
                }
                return input(be, dt, m, b, l, s);
            }
            case KEY_PADDING: {
                double[] m = new double[b * s];
                for (int slice = 0; slice < b; slice++) {
                    for (int j = Math.max(1, s - 3 * slice); j < s; j++) m[slice * s + j] = Double.NEGATIVE_INFINITY;
                }
                View flat = input(be, dt, m, b, s);
                return new View(flat.buffer, flat.offset, new int[]{b, l, s}, new long[]{s, 0, 1});
            }
            case SHARED_TRANSPOSED: {
                View st = input(be, dt, gaussian(rnd, s * l, 0.9), s, l);
                return new View(st.buffer, st.offset, new int[]{b, l, s}, new long[]{0, 1, l});
            }
            default:
                return null;
        }
    }

    /**
     * want and got agree within tol times (|want| + the largest |want| of the array, at least 1: the inputs are of
     * order 1, and a gradient that cancels to about 0 keeps rounding errors of that order), NaN where want is NaN.
     */
    private static void assertAgree(String what, double[] want, double[] got, double tol) {
        assertEquals(want.length, got.length, what + ": length");
        double norm = 1;
        for (double w : want) if (Double.isFinite(w)) norm = Math.max(norm, Math.abs(w));
        for (int i = 0; i < want.length; i++) {
            double w = want[i], g = got[i];
            boolean ok = Double.isNaN(w) ? Double.isNaN(g) : Double.isInfinite(w) ? g == w : Math.abs(g - w) <= tol * (Math.abs(w) + norm);
            if (!ok) throw new AssertionError(what + ": element " + i + " is " + g + ", the default gives " + w);
        }
    }

    private static double tolerance(DType dt) {
        return dt == DType.FLOAT32 ? 2e-5 : 1e-12;
    }

    /** One configuration: forward and every gradient subset, fused against the default. */
    private void agrees(DType dt, int b, int l, int s, int e, int ev, MaskKind kind, boolean causal) {
        Backend be = backend();
        Backend defaults = new KernelConformance.DefaultsOnly(be);
        String what = dt + " b" + b + " l" + l + " s" + s + " e" + e + " ev" + ev + " " + kind + (causal ? " causal" : "");
        Random rnd = new Random(((((31L * b + l) * 31 + s) * 31 + e) * 31 + ev) * 7 + kind.ordinal() * 2 + (causal ? 1 : 0));
        View q = input(be, dt, gaussian(rnd, b * l * e, 0.8), b, l, e);
        View k = input(be, dt, gaussian(rnd, b * s * e, 0.8), b, s, e);
        View v = input(be, dt, gaussian(rnd, b * s * ev, 1.0), b, s, ev);
        View dOut = input(be, dt, gaussian(rnd, b * l * ev, 1.0), b, l, ev);
        View mask = mask(be, dt, kind, rnd, b, l, s, causal);
        double scale = 1.25 / Math.sqrt(Math.max(1, e));

        View out = output(be, dt, b, l, ev), lse = output(be, dt, b, l);
        View refOut = output(be, dt, b, l, ev), refLse = output(be, dt, b, l);
        be.attentionForward(out, lse, q, k, v, mask, causal, scale);
        defaults.attentionForward(refOut, refLse, q, k, v, mask, causal, scale);
        double tol = tolerance(dt);
        assertAgree(what + " out", read(be, refOut, what + " out"), read(be, out, what + " out"), tol);
        assertAgree(what + " lse", read(be, refLse, what + " lse"), read(be, lse, what + " lse"), tol);

        // both backwards start from the default's forward, so that they are compared on their own
        boolean[][] subsets = {{true, true, true}, {false, false, true}, {true, true, false}};
        for (boolean[] want : subsets) {
            View[] fused = new View[3], ref = new View[3];
            int[][] shapes = {{b, l, e}, {b, s, e}, {b, s, ev}};
            for (int i = 0; i < 3; i++) {
                if (!want[i]) continue;
                fused[i] = output(be, dt, shapes[i]);
                ref[i] = output(be, dt, shapes[i]);
            }
            be.attentionBackward(fused[0], fused[1], fused[2], dOut, q, k, v, refOut, refLse, mask, causal, scale);
            defaults.attentionBackward(ref[0], ref[1], ref[2], dOut, q, k, v, refOut, refLse, mask, causal, scale);
            String[] names = {"dq", "dk", "dv"};
            for (int i = 0; i < 3; i++) {
                if (!want[i]) continue;
                String w = what + " " + names[i] + (want[0] && want[1] && want[2] ? "" : " (a subset of gradients)");
                assertAgree(w, read(be, ref[i], w), read(be, fused[i], w), 4 * tol);
            }
        }
    }

    /** b l s e ev; from 16 slices the CPU kernel's backward takes whole slices per thread (one pass, not two). */
    private static final int[][] SHAPES = {
        {1, 1, 1, 1, 1}, {2, 5, 7, 4, 3}, {3, 33, 47, 16, 8}, {1, 70, 65, 128, 128}, {2, 17, 40, 100, 36},
        {1, 9, 3, 5, 128}, {2, 130, 129, 32, 24}, {1, 1, 150, 8, 8}, {1, 140, 1, 8, 8},
        {16, 70, 65, 16, 8}, {17, 9, 130, 8, 24}, {16, 130, 3, 4, 4},
    };

    @Test
    public void theFusedKernelsEqualTheDefaultForEveryMaskAndShape() {
        for (DType dt : new DType[]{DType.FLOAT32, DType.FLOAT64}) {
            for (int[] sh : SHAPES) {
                for (MaskKind kind : MaskKind.values()) {
                    for (boolean causal : new boolean[]{false, true}) agrees(dt, sh[0], sh[1], sh[2], sh[3], sh[4], kind, causal);
                }
            }
        }
    }

    @Test
    public void headDimensionsBeyondAKernelsLimitStillAgree() {
        for (DType dt : new DType[]{DType.FLOAT32, DType.FLOAT64}) {
            agrees(dt, 2, 9, 11, 160, 40, MaskKind.DENSE, false);
            agrees(dt, 1, 12, 10, 64, 136, MaskKind.KEY_PADDING, true);
        }
    }

    @Test
    public void callsWithoutKeysOrQueriesAgree() {
        for (DType dt : new DType[]{DType.FLOAT32, DType.FLOAT64}) {
            agrees(dt, 2, 4, 0, 8, 8, MaskKind.NONE, false); // no keys: out 0 and lse -inf, as the default writes
            agrees(dt, 2, 0, 5, 8, 8, MaskKind.NONE, true);
            agrees(dt, 0, 3, 5, 8, 8, MaskKind.NONE, false);
        }
    }

    @Test
    public void theBackwardGivesTheSameBitsTwice() {
        Backend be = backend();
        for (DType dt : new DType[]{DType.FLOAT32, DType.FLOAT64}) {
            Random rnd = new Random(5);
            int b = 2, l = 77, s = 91, e = 24, ev = 40;
            View q = input(be, dt, gaussian(rnd, b * l * e, 0.8), b, l, e);
            View k = input(be, dt, gaussian(rnd, b * s * e, 0.8), b, s, e);
            View v = input(be, dt, gaussian(rnd, b * s * ev, 1.0), b, s, ev);
            View dOut = input(be, dt, gaussian(rnd, b * l * ev, 1.0), b, l, ev);
            View out = output(be, dt, b, l, ev), lse = output(be, dt, b, l);
            be.attentionForward(out, lse, q, k, v, null, true, 0.3);
            double[][] first = null;
            for (int run = 0; run < 2; run++) {
                View dq = output(be, dt, b, l, e), dk = output(be, dt, b, s, e), dv = output(be, dt, b, s, ev);
                be.attentionBackward(dq, dk, dv, dOut, q, k, v, out, lse, null, true, 0.3);
                double[][] got = {read(be, dq, "dq"), read(be, dk, "dk"), read(be, dv, "dv")};
                if (first == null) {
                    first = got;
                    continue;
                }
                for (int i = 0; i < 3; i++) {
                    for (int x = 0; x < got[i].length; x++) {
                        assertEquals(Double.doubleToLongBits(first[i][x]), Double.doubleToLongBits(got[i][x]),
                                dt + ": gradient " + i + " element " + x + " differs between two runs");
                    }
                }
            }
        }
    }
}
