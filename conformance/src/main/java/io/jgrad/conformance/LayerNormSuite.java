package io.jgrad.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgrad.DType;
import io.jgrad.Functional;
import io.jgrad.Generator;
import io.jgrad.GradCheck;
import io.jgrad.Tensor;
import org.junit.jupiter.api.Test;

/**
 * {@code Functional.layerNorm}, the fused layer normalisation: parity with PyTorch's {@code F.layer_norm} (values
 * generated with PyTorch 2.13 and committed here), float64 gradient checks with and without weight and bias and on a
 * strided input, and its argument checks.
 */
public abstract class LayerNormSuite extends DeviceSuite {
    private static final int[] NORMALIZED = {2, 3};
    // F.layer_norm(x [4, 2, 3], (2, 3), w, b, 1e-5) and the gradients of sum(y * up) (torch 2.13, float32)
    private static final float[] X = {-1.20000005f, 0.949999988f, -0.200000003f, 1.95000005f, 0.800000012f, -0.349999994f, 1.5f,
            0.349999994f, -0.800000012f, 1.35000002f, 0.200000003f, -0.949999988f, 0.899999976f, -0.25f, 1.89999998f, 0.75f,
            -0.400000006f, 1.75f, 0.300000012f, -0.850000024f, 1.29999995f, 0.150000006f, -1f, 1.14999998f};
    private static final float[] W = {1.5f, -0.5f, 2.0f, 0.25f, 1.0f, -1.25f};
    private static final float[] B = {0.1f, -0.2f, 0.3f, 0.0f, 0.5f, -0.6f};
    private static final float[] Y = {-2.12992859f, -0.504635036f, -0.723573744f, 0.396025538f, 0.963045239f, 0.222514644f,
            2.05070519f, -0.239810288f, -1.98245811f, 0.285307258f, 0.420379341f, 1.0255878f, 0.312669992f, 0.381298363f,
            2.85204148f, -0.00708901417f, -0.832732797f, -1.98235571f, 0.312670171f, 0.381298304f, 2.85204148f, -0.00708899694f,
            -0.832732677f, -1.98235583f};
    private static final float[] GX = {0.1052562f, 0.252175212f, -0.449848592f, -0.0592215657f, -0.0301211476f, 0.181760192f,
            0.0629749149f, -0.512956262f, -0.425382257f, 0.137863323f, 0.225437328f, 0.512062907f, 0.190167546f, -0.278627694f,
            0.955348015f, -0.718577921f, 0.584877849f, -0.733187973f, -0.799367845f, 0.179438949f, -0.294347107f, 0.968020022f,
            -0.321654379f, 0.267910212f};
    private static final float[] GW = {1.09061158f, 0.522587299f, 0.383840173f, -0.356266826f, -0.917794228f, 1.31125724f};
    private static final float[] GB = {-1.75f, 1f, -0.75f, -0.25f, 0.25f, 0.75f};

    private static float[] upstream() {
        float[] up = new float[24];
        for (int k = 0; k < up.length; k++) up[k] = ((k * 5) % 9 - 4) * 0.25f;
        return up;
    }

    @Test
    void matchesPyTorchForwardAndBackward() {
        for (DType dt : new DType[]{DType.FLOAT32, DType.FLOAT64}) {
            Tensor x = Tensor.of(X, 4, 2, 3).to(dt).requiresGrad(true);
            Tensor w = Tensor.of(W, 2, 3).to(dt).requiresGrad(true);
            Tensor b = Tensor.of(B, 2, 3).to(dt).requiresGrad(true);
            Tensor y = Functional.layerNorm(x, NORMALIZED, w, b, 1e-5);
            assertArrayEquals(toDoubles(Y), y.toDoubleArray(), 2e-6, dt + " forward");
            y.mul(Tensor.of(upstream(), 4, 2, 3).to(dt)).sum().backward();
            assertArrayEquals(toDoubles(GX), x.grad().toDoubleArray(), 4e-6, dt + " gradX");
            assertArrayEquals(toDoubles(GW), w.grad().toDoubleArray(), 4e-6, dt + " gradWeight");
            assertArrayEquals(toDoubles(GB), b.grad().toDoubleArray(), 1e-6, dt + " gradBias");
        }
    }

    @Test
    void gradCheckWithAndWithoutWeightAndBias() {
        Tensor x = Tensor.randn(new Generator(21), 3, 4, 5).to(DType.FLOAT64).mul(2).add(1).requiresGrad(true);
        Tensor w = Tensor.randn(new Generator(22), 5).to(DType.FLOAT64).requiresGrad(true);
        Tensor b = Tensor.randn(new Generator(23), 5).to(DType.FLOAT64).requiresGrad(true);
        int[] last = {5};
        GradCheck.check(in -> Functional.layerNorm(in[0], last, in[1], in[2], 1e-5), x, w, b).assertPassed();
        GradCheck.check(in -> Functional.layerNorm(in[0], last, in[1], null, 1e-5), x, w).assertPassed();
        GradCheck.check(in -> Functional.layerNorm(in[0], last, null, in[1], 1e-3), x, b).assertPassed();
        GradCheck.check(in -> Functional.layerNorm(in[0], last, null, null, 1e-5), x).assertPassed();
        // a transposed (strided) input, over two trailing dimensions
        Tensor xt = Tensor.randn(new Generator(24), 4, 3, 2).to(DType.FLOAT64).requiresGrad(true);
        Tensor w2 = Tensor.randn(new Generator(25), 3, 4).to(DType.FLOAT64).requiresGrad(true);
        GradCheck.check(in -> Functional.layerNorm(in[0].transpose(0, 2), new int[]{3, 4}, in[1], null, 1e-5), xt, w2).assertPassed();
    }

    @Test
    void float32KernelAgreesWithFloat64OnALargeBatch() {
        // many rows (several blocks of the backward's column sums, and several threads where the kernel splits)
        Tensor x64 = Tensor.randn(new Generator(31), 600, 64).to(DType.FLOAT64).mul(3).add(2);
        Tensor w64 = Tensor.randn(new Generator(32), 64).to(DType.FLOAT64);
        Tensor b64 = Tensor.randn(new Generator(33), 64).to(DType.FLOAT64);
        Tensor up64 = Tensor.randn(new Generator(34), 600, 64).to(DType.FLOAT64);
        double[][] want = run(x64, w64, b64, up64), got = run(x64.to(DType.FLOAT32), w64.to(DType.FLOAT32), b64.to(DType.FLOAT32),
                up64.to(DType.FLOAT32));
        String[] names = {"out", "gradX", "gradWeight", "gradBias"};
        double[] tol = {2e-5, 2e-5, 2e-3, 2e-3};
        for (int i = 0; i < 4; i++) assertArrayEquals(want[i], got[i], tol[i], names[i]);
    }

    private static double[][] run(Tensor x, Tensor w, Tensor b, Tensor up) {
        x = x.detach().requiresGrad(true);
        w = w.detach().requiresGrad(true);
        b = b.detach().requiresGrad(true);
        Tensor y = Functional.layerNorm(x, new int[]{64}, w, b, 1e-5);
        double[] out = y.toDoubleArray();
        y.mul(up).sum().backward();
        return new double[][]{out, x.grad().toDoubleArray(), w.grad().toDoubleArray(), b.grad().toDoubleArray()};
    }

    @Test
    void badInputIsRefusedNamingTheOpAndShapes() {
        Tensor x = Tensor.randn(new Generator(1), 2, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Functional.layerNorm(x, new int[]{4}, null, null, 1e-5));
        assertTrue(e.getMessage().contains("layerNorm") && e.getMessage().contains("[2, 3]") && e.getMessage().contains("[4]"), e.getMessage());
        Tensor w64 = Tensor.ones(DType.FLOAT64, 3);
        e = assertThrows(IllegalArgumentException.class, () -> Functional.layerNorm(x, new int[]{3}, w64, null, 1e-5));
        assertTrue(e.getMessage().contains("float64") && e.getMessage().contains("float32"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Functional.layerNorm(x, new int[]{3}, null, null, 0));
        assertTrue(e.getMessage().contains("eps"), e.getMessage());
        Tensor ints = Tensor.of(new long[]{1, 2, 3});
        e = assertThrows(IllegalArgumentException.class, () -> Functional.layerNorm(ints, new int[]{3}, null, null, 1e-5));
        assertTrue(e.getMessage().contains("int64"), e.getMessage());
    }

    private static double[] toDoubles(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) d[i] = f[i];
        return d;
    }
}
