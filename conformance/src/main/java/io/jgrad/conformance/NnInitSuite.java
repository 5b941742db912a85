package io.jgrad.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;


import io.jgrad.DType;

import io.jgrad.Generator;
import io.jgrad.Tensor;
import io.jgrad.nn.Dropout;
import io.jgrad.nn.Embedding;
import io.jgrad.nn.Init;
import io.jgrad.nn.Init.Mode;
import io.jgrad.nn.Init.Nonlinearity;
import io.jgrad.nn.Linear;
import io.jgrad.spi.CounterRandom;
import io.jgrad.spi.Distribution;
import java.util.Arrays;


import org.junit.jupiter.api.Test;

/**
 * Init's bounds and standard deviations against their closed forms. Statistical checks use thousands of draws and
 * tolerances of at least five standard errors, so they fail only when the formula is wrong.
 */
public abstract class NnInitSuite extends DeviceSuite {

    private static double maxAbs(double[] v) {
        return Arrays.stream(v).map(Math::abs).max().orElseThrow();
    }

    private static double mean(double[] v) {
        return Arrays.stream(v).average().orElseThrow();
    }

    private static double std(double[] v) {
        double m = mean(v);
        return Math.sqrt(Arrays.stream(v).map(x -> (x - m) * (x - m)).sum() / (v.length - 1));
    }

    /** All values within [-bound, bound] and the largest near the bound, as a uniform sample of this size must be. */
    private static void assertUniformBound(double bound, double[] v) {
        double m = maxAbs(v);
        assertTrue(m <= bound * (1 + 1e-6), "max |value| " + m + " exceeds the bound " + bound);
        assertTrue(m > 0.99 * bound, "max |value| " + m + " should approach the bound " + bound);
        assertEquals(bound / Math.sqrt(3), std(v), 0.03 * bound / Math.sqrt(3), "std of U(-b, b) is b / sqrt(3)");
    }

    @Test
    void gainsAreTorchCalculateGain() {
        assertEquals(1, Init.gain(Nonlinearity.LINEAR, 0));
        assertEquals(1, Init.gain(Nonlinearity.SIGMOID, 0));
        assertEquals(5.0 / 3, Init.gain(Nonlinearity.TANH, 0), 1e-15);
        assertEquals(Math.sqrt(2), Init.gain(Nonlinearity.RELU, 0), 1e-15);
        assertEquals(Math.sqrt(2 / 1.04), Init.gain(Nonlinearity.LEAKY_RELU, 0.2), 1e-15);
        assertEquals(Math.sqrt(1.0 / 3), Init.gain(Nonlinearity.LEAKY_RELU, Math.sqrt(5)), 1e-15);
    }

    @Test
    void kaimingUniformFanInAndFanOut() {
        Tensor t = Tensor.zeros(256, 128);
        assertSame(t, Init.kaimingUniform(t, Mode.FAN_IN, Nonlinearity.RELU, new Generator(1)));
        assertUniformBound(Math.sqrt(2) * Math.sqrt(3.0 / 128), t.toDoubleArray());
        Init.kaimingUniform(t, Mode.FAN_OUT, Nonlinearity.TANH, new Generator(2));
        assertUniformBound(5.0 / 3 * Math.sqrt(3.0 / 256), t.toDoubleArray());
        Init.kaimingUniform(t, 0.2, Mode.FAN_IN, Nonlinearity.LEAKY_RELU, new Generator(3));
        assertUniformBound(Math.sqrt(2 / 1.04) * Math.sqrt(3.0 / 128), t.toDoubleArray());
    }

    @Test
    void kaimingNormalStandardDeviation() {
        Tensor t = Tensor.zeros(200, 100);
        Init.kaimingNormal(t, Mode.FAN_IN, Nonlinearity.RELU, new Generator(4));
        double[] v = t.toDoubleArray();
        assertEquals(0, mean(v), 5 * Math.sqrt(0.02 / v.length));
        assertEquals(Math.sqrt(2.0 / 100), std(v), 0.03 * Math.sqrt(2.0 / 100));
        Init.kaimingNormal(t, Mode.FAN_OUT, Nonlinearity.LINEAR, new Generator(5));
        assertEquals(1 / Math.sqrt(200), std(t.toDoubleArray()), 0.03 / Math.sqrt(200));
    }

    @Test
    void fansIncludeTheReceptiveField() {
        // [out=8, in=4, 3, 3]: fan_in = 4 * 9 = 36, fan_out = 8 * 9 = 72.
        Tensor t = Tensor.zeros(8, 4, 3, 3);
        Init.xavierUniform(t, new Generator(6));
        double bound = Math.sqrt(6.0 / (36 + 72));
        double m = maxAbs(t.toDoubleArray());
        assertTrue(m <= bound * (1 + 1e-6) && m > 0.9 * bound, "xavier bound " + bound + ", max " + m);
        Init.kaimingUniform(t, Mode.FAN_IN, Nonlinearity.LINEAR, new Generator(7));
        m = maxAbs(t.toDoubleArray());
        assertTrue(m <= Math.sqrt(3.0 / 36) * (1 + 1e-6) && m > 0.9 * Math.sqrt(3.0 / 36), "kaiming bound, max " + m);
    }

    @Test
    void xavierUniformAndNormal() {
        Tensor t = Tensor.zeros(300, 100);
        Init.xavierUniform(t, 2.0, new Generator(8));
        assertUniformBound(2 * Math.sqrt(6.0 / 400), t.toDoubleArray());
        Init.xavierNormal(t, new Generator(9));
        assertEquals(Math.sqrt(2.0 / 400), std(t.toDoubleArray()), 0.03 * Math.sqrt(2.0 / 400));
        Init.xavierNormal(t, 5.0 / 3, new Generator(10));
        assertEquals(5.0 / 3 * Math.sqrt(2.0 / 400), std(t.toDoubleArray()), 0.03 * 5.0 / 3 * Math.sqrt(2.0 / 400));
    }

    @Test
    void uniformNormalAndMicrograd() {
        Tensor t = Tensor.zeros(DType.FLOAT64, 100, 100);
        Init.uniform(t, 2, 5, new Generator(11));
        double[] v = t.toDoubleArray();
        assertTrue(Arrays.stream(v).allMatch(x -> x >= 2 && x < 5), "U(2, 5) stays in [2, 5)");
        assertEquals(3.5, mean(v), 5 * 3 / Math.sqrt(12 * v.length));
        Init.normal(t, -1, 0.5, new Generator(12));
        v = t.toDoubleArray();
        assertEquals(-1, mean(v), 5 * 0.5 / Math.sqrt(v.length));
        assertEquals(0.5, std(v), 0.03 * 0.5);
        Init.micrograd(t, new Generator(13));
        v = t.toDoubleArray();
        assertTrue(Arrays.stream(v).allMatch(x -> x >= -1 && x < 1));
        assertTrue(maxAbs(v) > 0.99);
        assertEquals(0, mean(v), 5 / Math.sqrt(3.0 * v.length));
    }

    @Test
    void constantsWorkOnParametersThatRequireGrad() {
        Tensor p = Tensor.randn(new Generator(14), 3, 2).requiresGrad(true);
        assertSame(p, Init.zeros(p));
        assertArrayEquals(new float[6], p.toFloatArray());
        Init.ones(p);
        assertArrayEquals(new float[]{1, 1, 1, 1, 1, 1}, p.toFloatArray());
        Init.constant(p, -2.5);
        assertArrayEquals(new float[]{-2.5f, -2.5f, -2.5f, -2.5f, -2.5f, -2.5f}, p.toFloatArray());
        Init.normal(p, 0, 1, new Generator(15));
        assertTrue(p.requiresGrad() && p.isLeaf());
    }

    @Test
    void seedsAndGeneratorsAreReproducible() {
        Tensor a = Init.uniform(Tensor.zeros(50), -1, 1, new Generator(16));
        Tensor b = Init.uniform(Tensor.zeros(50), -1, 1, new Generator(16));
        assertArrayEquals(a.toFloatArray(), b.toFloatArray());
        Generator gen = new Generator(16);
        Tensor first = Init.normal(Tensor.zeros(50), 0, 1, gen);
        Tensor second = Init.normal(Tensor.zeros(50), 0, 1, gen);
        assertFalse(Arrays.equals(first.toFloatArray(), second.toFloatArray()), "a generator advances with each draw");
        Tensor again = Init.normal(Tensor.zeros(50), 0, 1, new Generator(16));
        assertArrayEquals(first.toFloatArray(), again.toFloatArray());
    }

    @Test
    void drawsFollowTheCounterRandomStreamOfTheGeneratorsNextSeed() {
        long drawSeed = new Generator(18).nextSeed();
        double[] u = Init.uniform(Tensor.zeros(DType.FLOAT64, 2, 3), -2, 4, new Generator(18)).toDoubleArray();
        double[] n = Init.normal(Tensor.zeros(DType.FLOAT64, 2, 3), 1, 3, new Generator(18)).toDoubleArray();
        for (int i = 0; i < 6; i++) {
            assertEquals(CounterRandom.sample(Distribution.UNIFORM, drawSeed, i, -2, 4), u[i], 1e-15, "uniform element " + i);
            assertEquals(CounterRandom.sample(Distribution.NORMAL, drawSeed, i, 1, 3), n[i], 1e-14, "normal element " + i);
        }
    }

    @Test
    void float64TensorsGetFloat64Draws() {
        Tensor t = Tensor.zeros(DType.FLOAT64, 1000);
        Init.normal(t, 0, 1, new Generator(17));
        assertEquals(DType.FLOAT64, t.dtype());
        double[] v = t.toDoubleArray();
        long exactFloats = Arrays.stream(v).filter(x -> (double) (float) x == x).count();
        assertTrue(exactFloats < 10, "float64 draws are not rounded to float32 (" + exactFloats + " of 1000 are)");
    }

    @Test
    void rejectsTensorsWithoutFans() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Init.kaimingUniform(Tensor.zeros(5), Mode.FAN_IN, Nonlinearity.RELU, new Generator(1)));
        assertTrue(e.getMessage().contains("kaimingUniform") && e.getMessage().contains("[5]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Init.xavierNormal(Tensor.zeros(3), new Generator(1)));
        e = assertThrows(IllegalArgumentException.class, () -> Init.uniform(Tensor.zeros(DType.INT64, 3), 0, 1, new Generator(1)));
        assertTrue(e.getMessage().contains("int64"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Init.uniform(Tensor.zeros(3), 1, 0, new Generator(1)));
        assertThrows(IllegalArgumentException.class, () -> Init.normal(Tensor.zeros(3), 0, -1, new Generator(1)));
    }

    @Test
    void withoutAGeneratorEveryRandomFactoryDrawsFromTheGlobalOne() {
        Generator global = Generator.global();
        long saved = global.seed();
        try {
            Tensor.manualSeed(5);
            float[] u = Init.uniform(Tensor.zeros(20), -1, 1).toFloatArray();
            float[] n = Init.normal(Tensor.zeros(3, 4), 0, 2).toFloatArray();
            float[] k = Init.kaimingNormal(Tensor.zeros(3, 4), Mode.FAN_IN, Nonlinearity.RELU).toFloatArray();
            float[] x = Init.xavierUniform(Tensor.zeros(3, 4)).toFloatArray();
            Linear linear = new Linear(3, 4);
            Embedding embedding = new Embedding(5, 2);
            float[] mask = new Dropout(0.5).forward(Tensor.ones(64)).toFloatArray();
            float[] r = Tensor.randn(6).toFloatArray();

            // The same sequence of draws from a generator of the same seed gives the same numbers.
            Generator own = new Generator(5);
            assertArrayEquals(Init.uniform(Tensor.zeros(20), -1, 1, own).toFloatArray(), u);
            assertArrayEquals(Init.normal(Tensor.zeros(3, 4), 0, 2, own).toFloatArray(), n);
            assertArrayEquals(Init.kaimingNormal(Tensor.zeros(3, 4), Mode.FAN_IN, Nonlinearity.RELU, own).toFloatArray(), k);
            assertArrayEquals(Init.xavierUniform(Tensor.zeros(3, 4), own).toFloatArray(), x);
            Linear ownLinear = new Linear(3, 4, own);
            assertArrayEquals(ownLinear.weight().toFloatArray(), linear.weight().toFloatArray());
            assertArrayEquals(ownLinear.bias().toFloatArray(), linear.bias().toFloatArray());
            assertArrayEquals(new Embedding(5, 2, own).weight().toFloatArray(), embedding.weight().toFloatArray());
            assertArrayEquals(new Dropout(0.5, own).forward(Tensor.ones(64)).toFloatArray(), mask);
            assertArrayEquals(Tensor.randn(own, 6).toFloatArray(), r);

            // Reseeding replays the program's initialisation.
            Tensor.manualSeed(5);
            assertArrayEquals(u, Init.uniform(Tensor.zeros(20), -1, 1).toFloatArray());
        } finally {
            global.manualSeed(saved);
        }
    }
}
