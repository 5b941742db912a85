package io.jgrad.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jgrad.Functional;
import io.jgrad.Functional.Activation;
import io.jgrad.Tensor;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * matmul with torch.matmul's rules (1-D operands, batches, broadcast batch dimensions, transposed and expanded
 * operands) and the fused Functional ops built on it: linear, biasActivation and crossEntropy.
 */
public abstract class TensorMatmulSuite extends TensorBaseSuite {

    /** Plain-loop matmul with torch's shape rules; returns {result, per-element sum of |a||b|} for the tolerance. */
    private static double[][] matmulRef(double[] a, int[] as, double[] b, int[] bs) {
        boolean aVec = as.length == 1, bVec = bs.length == 1;
        int[] A = aVec ? new int[]{1, as[0]} : as;
        int[] B = bVec ? new int[]{bs[0], 1} : bs;
        int m = A[A.length - 2], k = A[A.length - 1], n = B[B.length - 1];
        int[] batch = broadcastShape(Arrays.copyOf(A, A.length - 2), Arrays.copyOf(B, B.length - 2));
        int nb = numel(batch);
        double[] out = new double[nb * m * n];
        double[] mag = new double[out.length];
        for (int p = 0; p < nb; p++) {
            int[] bi = unravel(p, batch);
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double s = 0, g = 0;
                    for (int q = 0; q < k; q++) {
                        double x = at(a, A, bi, i, q), y = at(b, B, bi, q, j);
                        s += x * y;
                        g += Math.abs(x * y);
                    }
                    out[(p * m + i) * n + j] = s;
                    mag[(p * m + i) * n + j] = g;
                }
            }
        }
        return new double[][]{out, mag};
    }

    /** Element (row, col) of the matrix at broadcast batch index bi of a [..., rows, cols] array. */
    private static double at(double[] v, int[] shape, int[] bi, int row, int col) {
        int r = shape.length;
        int[] idx = new int[r];
        int shift = bi.length - (r - 2);
        for (int d = 0; d < r - 2; d++) idx[d] = shape[d] == 1 ? 0 : bi[d + shift];
        idx[r - 2] = row;
        idx[r - 1] = col;
        return v[ravel(idx, shape)];
    }

    private static int[] resultShape(int[] as, int[] bs) {
        boolean aVec = as.length == 1, bVec = bs.length == 1;
        int[] A = aVec ? new int[]{1, as[0]} : as;
        int[] B = bVec ? new int[]{bs[0], 1} : bs;
        int[] batch = broadcastShape(Arrays.copyOf(A, A.length - 2), Arrays.copyOf(B, B.length - 2));
        int[] s = Arrays.copyOf(batch, batch.length + (aVec ? 0 : 1) + (bVec ? 0 : 1));
        int i = batch.length;
        if (!aVec) s[i++] = A[A.length - 2];
        if (!bVec) s[i] = B[B.length - 1];
        return s;
    }

    /** Matmul errors grow with k: the float32 criterion is applied relative to sum_k |a_ik b_kj|. */
    private static void assertMatmul(double[][] ref, Tensor out, String what) {
        double[] e = ref[0], mag = ref[1];
        double[] got = out.toDoubleArray();
        assertEquals(e.length, got.length, what);
        for (int i = 0; i < e.length; i++) {
            double tol = F32_TOL * (1 + mag[i]);
            int idx = i;
            if (!(Math.abs(got[i] - e[i]) <= tol)) {
                throw new AssertionError(what + ": element " + idx + " is " + got[i] + ", expected " + e[i] + " within " + tol);
            }
        }
    }

    private static final int[][][] SHAPE_PAIRS = {
            {{3, 4}, {4, 5}},
            {{4}, {4}},
            {{4}, {4, 3}},
            {{3, 4}, {4}},
            {{2, 3, 4}, {2, 4, 5}},
            {{2, 1, 3, 4}, {3, 4, 2}},   // broadcast batch dims
            {{2, 3, 4}, {4, 5}},         // matrix shared across a batch
            {{3, 4}, {2, 4, 5}},
            {{2, 3, 4}, {4}},
            {{4}, {2, 4, 3}},
            {{1, 1}, {1, 7}},
            {{5, 33}, {33, 6}},          // k large enough to cross any blocking
    };

    @Test
    void matmulFollowsTorchShapeRulesAndMatchesReference() {
        int seed = 0;
        for (int[][] pair : SHAPE_PAIRS) {
            int[] as = pair[0], bs = pair[1];
            double[] a = uniform(seed++, numel(as), -1, 1), b = uniform(seed++, numel(bs), -1, 1);
            String what = "matmul " + str(as) + " x " + str(bs);
            Tensor out = f32(a, as).matmul(f32(b, bs));
            assertShape(out, resultShape(as, bs));
            assertMatmul(matmulRef(a, as, b, bs), out, what);
            Tensor out64 = f64(a, as).matmul(f64(b, bs));
            double[][] ref = matmulRef(a, as, b, bs);
            assertClose(ref[0], out64, 1e-12, 1e-12, what + " float64");
        }
    }

    @Test
    void matmulReadsTransposedSlicedAndExpandedOperands() {
        double[] a = uniform(1, 20, -1, 1), b = uniform(2, 15, -1, 1);
        double[] at = transposed(a, 5, 4);           // a stored [5, 4], used as its transpose [4, 5]
        double[] bt = transposed(b, 3, 5);           // b stored [3, 5], used as [5, 3]
        Tensor A = f32(a, 5, 4).t();
        Tensor B = f32(b, 3, 5).t();
        assertMatmul(matmulRef(at, new int[]{4, 5}, bt, new int[]{5, 3}), A.matmul(B), "Aᵀ·Bᵀ");
        assertMatmul(matmulRef(at, new int[]{4, 5}, bt, new int[]{5, 3}), A.contiguous().matmul(B), "A·Bᵀ");
        // Every other row of A: a row stride of twice the width.
        double[] rows = new double[10];
        for (int i = 0; i < 2; i++) System.arraycopy(at, (2 * i) * 5, rows, i * 5, 5);
        assertMatmul(matmulRef(rows, new int[]{2, 5}, bt, new int[]{5, 3}), A.contiguous().slice(0, 0, 4, 2).matmul(B), "sliced rows");
        // A batch made by expand (stride 0) and a permuted batch.
        double[] batched = new double[3 * 20];
        for (int p = 0; p < 3; p++) System.arraycopy(at, 0, batched, p * 20, 20);
        Tensor expanded = A.contiguous().unsqueeze(0).expand(3, 4, 5);
        assertMatmul(matmulRef(batched, new int[]{3, 4, 5}, bt, new int[]{5, 3}), expanded.matmul(B), "expanded batch");
        double[] c = uniform(3, 24, -1, 1);          // stored [4, 2, 3], used as [2, 4, 3] (batch axis moved)
        double[] cp = new double[24];
        for (int i = 0; i < 4; i++) for (int p = 0; p < 2; p++) for (int j = 0; j < 3; j++) cp[(p * 4 + i) * 3 + j] = c[(i * 2 + p) * 3 + j];
        double[] d = uniform(4, 6, -1, 1);
        assertMatmul(matmulRef(cp, new int[]{2, 4, 3}, d, new int[]{3, 2}), f32(c, 4, 2, 3).permute(1, 0, 2).matmul(f32(d, 3, 2)), "permuted batch");
    }

    @Test
    void matmulWithEmptyInnerDimensionGivesZeros() {
        Tensor out = Tensor.zeros(2, 0).matmul(Tensor.zeros(0, 3));
        assertShape(out, 2, 3);
        assertExactly(new double[6], out, "k = 0");
    }

    @Test
    void matmulPassesGradCheckForEveryShapeRule() {
        int seed = 100;
        for (int[][] pair : SHAPE_PAIRS) {
            int[] as = pair[0], bs = pair[1];
            if (numel(as) > 40 || numel(bs) > 40) continue; // the k = 33 case is covered forward; keep gradcheck small
            Tensor a = f64(uniform(seed++, numel(as), -1, 1), as).requiresGrad(true);
            Tensor b = f64(uniform(seed++, numel(bs), -1, 1), bs).requiresGrad(true);
            gradcheck(in -> in[0].matmul(in[1]), a, b);
        }
        // Transposed operands in the graph.
        gradcheck(in -> in[0].t().matmul(in[1].t()),
                f64(uniform(7, 6, -1, 1), 3, 2).requiresGrad(true), f64(uniform(8, 12, -1, 1), 4, 3).requiresGrad(true));
    }

    @Test
    void matmulGradientOfSharedMatrixSumsOverTheBatch() {
        // y = X · W with X [2, 1, 2] and W [2, 2] shared: dW = sum over the batch of Xᵀ · dY.
        Tensor x = Tensor.of(new double[]{1, 2, 3, 4}, 2, 1, 2);
        Tensor w = Tensor.of(new double[]{1, 0, 0, 1}, 2, 2).requiresGrad(true);
        x.matmul(w).sum().backward();
        assertExactly(new double[]{4, 4, 6, 6}, w.grad(), "dW");
    }

    // ---------------------------------------------------------------- Functional

    private static double act(Activation a, double z) {
        switch (a) {
            case RELU: return Math.max(0, z);
            case TANH: return Math.tanh(z);
            case SIGMOID: return 1 / (1 + Math.exp(-z));
            case GELU: return z * 0.5 * (1 + erf(z / Math.sqrt(2)));
            default: return z;
        }
    }

    private static double erf(double x) {
        double sum = 0, term = x;
        for (int n = 0; n < 120; n++) {
            sum += term / (2 * n + 1);
            term *= -x * x / (n + 1);
        }
        return 2 / Math.sqrt(Math.PI) * sum;
    }

    @Test
    void linearAndBiasActivationMatchReferenceForEachActivation() {
        int n = 4, in = 5, out = 3;
        double[] x = uniform(1, n * in, -1, 1), w = uniform(2, out * in, -1, 1), b = uniform(3, out, -0.5, 0.5);
        for (Activation a : Activation.values()) {
            double[] expected = new double[n * out], noBias = new double[n * out];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < out; j++) {
                    double z = 0;
                    for (int q = 0; q < in; q++) z += x[i * in + q] * w[j * in + q];
                    expected[i * out + j] = act(a, z + b[j]);
                    noBias[i * out + j] = act(a, z);
                }
            }
            Tensor y = Functional.linear(f32(x, n, in), f32(w, out, in), f32(b, out), a);
            assertShape(y, n, out);
            assertClose(expected, y, 1e-5 * in, 1e-5, "linear " + a);
            assertClose(noBias, Functional.linear(f32(x, n, in), f32(w, out, in), null, a), 1e-5 * in, 1e-5, "linear without bias " + a);
            // biasActivation alone, on a 3-D input: bias along the last axis
            double[] z3 = uniform(4, 2 * 2 * out, -2, 2);
            double[] e3 = new double[z3.length];
            for (int i = 0; i < z3.length; i++) e3[i] = act(a, z3[i] + b[i % out]);
            assertCloseF32(e3, Functional.biasActivation(f32(z3, 2, 2, out), f32(b, out), a), "biasActivation " + a);
        }
    }

    @Test
    void linearAndBiasActivationPassGradCheckForEachActivation() {
        for (Activation a : Activation.values()) {
            // Pre-activations stay away from ReLU's kink at 0.
            Tensor x = f64(new double[]{0.5, -1.0, 1.5, 0.25, -0.75, 2.0}, 2, 3).requiresGrad(true);
            Tensor w = f64(new double[]{0.4, 0.3, -0.2, -0.5, 0.1, 0.6}, 2, 3).requiresGrad(true);
            Tensor b = f64(new double[]{0.31, -0.27}, 2).requiresGrad(true);
            gradcheck(in -> Functional.linear(in[0], in[1], in[2], a), x, w, b);
            gradcheck(in -> Functional.linear(in[0], in[1], null, a), x, w);
            Tensor z = f64(awayFromZero(5, 12, 0.3, 2), 2, 2, 3).requiresGrad(true);
            Tensor bias = f64(new double[]{0.05, -0.1, 0.02}, 3).requiresGrad(true);
            gradcheck(in -> Functional.biasActivation(in[0], in[1], a), z, bias);
        }
    }

    @Test
    void crossEntropyMatchesReferenceAndIsStable() {
        int n = 5, c = 4;
        double[] logits = uniform(9, n * c, -3, 3);
        logits[0] = 80; // large logits must not overflow
        logits[1] = 79;
        long[] targets = {0, 3, 2, 1, 3};
        double[] expected = new double[n];
        for (int i = 0; i < n; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < c; j++) max = Math.max(max, logits[i * c + j]);
            double z = 0;
            for (int j = 0; j < c; j++) z += Math.exp(logits[i * c + j] - max);
            expected[i] = -(logits[i * c + (int) targets[i]] - max - Math.log(z));
        }
        Tensor losses = Functional.crossEntropy(f32(logits, n, c), Tensor.of(targets));
        assertShape(losses, n);
        assertCloseF32(expected, losses, "crossEntropy");
        assertClose(expected, Functional.crossEntropy(f64(logits, n, c), Tensor.of(targets)), 1e-12, 1e-12, "float64");
    }

    @Test
    void crossEntropyGradientIsSoftmaxMinusOneHot() {
        Tensor logits = f64(uniform(10, 6, -2, 2), 2, 3).requiresGrad(true);
        Tensor targets = Tensor.of(new long[]{2, 0});
        gradcheck(in -> Functional.crossEntropy(in[0], targets), logits);
        Functional.crossEntropy(logits, targets).sum().backward();
        double[] p = logits.detach().softmax(1).toDoubleArray();
        p[2] -= 1;
        p[3] -= 1;
        assertClose(p, logits.grad(), 1e-12, 1e-12, "softmax - onehot");
    }
}
