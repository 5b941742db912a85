package io.jgrad.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgrad.DType;
import io.jgrad.Generator;
import io.jgrad.Shape;
import io.jgrad.Tensor;
import io.jgrad.spi.CounterRandom;
import io.jgrad.spi.Distribution;
import org.junit.jupiter.api.Test;

/** Factories, accessors and host transfers; random tensors against the backend-independent CounterRandom stream. */
public abstract class TensorFactorySuite extends TensorBaseSuite {

    @Test
    void ofKeepsDataShapeAndDtype() {
        Tensor f = Tensor.of(new float[]{1, 2, 3, 4, 5, 6}, 2, 3);
        assertEquals(DType.FLOAT32, f.dtype());
        assertEquals(Shape.of(2, 3), f.shape());
        assertEquals(2, f.dim());
        assertEquals(6, f.numel());
        assertEquals(3, f.size(1));
        assertEquals(2, f.size(-2));
        assertEquals(device(), f.device());
        assertArrayEquals(new float[]{1, 2, 3, 4, 5, 6}, f.toFloatArray());
        Tensor d = Tensor.of(new double[]{0.1, 0.2});
        assertEquals(DType.FLOAT64, d.dtype());
        assertEquals(Shape.of(2), d.shape());
        assertArrayEquals(new double[]{0.1, 0.2}, d.toDoubleArray(), 0);
        Tensor l = Tensor.of(new long[]{Long.MAX_VALUE, -5}, 2, 1);
        assertEquals(DType.INT64, l.dtype());
        assertArrayEquals(new long[]{Long.MAX_VALUE, -5}, l.toLongArray(), "int64 is exact, beyond 2^53 too");
        assertTrue(f.isLeaf());
        assertFalse(f.requiresGrad());
    }

    @Test
    void ofUploadsToTheGivenDevice() {
        io.jgrad.Backends.setDefaultDevice(null); // whatever the default is, the explicit device wins
        Tensor f = Tensor.of(new float[]{1, 2}, device(), 2, 1);
        Tensor d = Tensor.of(new double[]{3}, device());
        Tensor l = Tensor.of(new long[]{4, 5, 6}, device(), 3);
        assertEquals(device(), f.device());
        assertEquals(device(), d.device());
        assertEquals(device(), l.device());
        assertEquals(Shape.of(2, 1), f.shape());
        assertEquals(Shape.of(1), d.shape());
        assertArrayEquals(new long[]{4, 5, 6}, l.toLongArray());
    }

    @Test
    void hostArraysConvertBetweenTypesAndFollowRowMajorOrder() {
        Tensor f = Tensor.of(new float[]{1.5f, -2.5f, 3.75f, 4f}, 2, 2);
        assertArrayEquals(new double[]{1.5, -2.5, 3.75, 4}, f.toDoubleArray(), 0);
        assertArrayEquals(new long[]{1, -2, 3, 4}, f.toLongArray());
        assertArrayEquals(new double[]{1.5, 3.75, -2.5, 4}, f.t().toDoubleArray(), 0);
        assertArrayEquals(new float[]{1.5f, 3.75f, -2.5f, 4f}, f.t().toFloatArray());
        assertArrayEquals(new float[]{7, 8}, Tensor.of(new long[]{7, 8}).toFloatArray());
        assertEquals(-2.5, f.select(0, 0).select(0, 1).item(), 0);
        assertEquals(9, Tensor.of(new long[]{9}).item(), 0);
    }

    @Test
    void scalarHasRankZero() {
        Tensor s = Tensor.scalar(2.5f);
        assertEquals(0, s.dim());
        assertEquals(Shape.of(), s.shape());
        assertEquals(1, s.numel());
        assertEquals(DType.FLOAT32, s.dtype());
        assertEquals(2.5, s.item(), 0);
        Tensor d = Tensor.scalar(0.1);
        assertEquals(DType.FLOAT64, d.dtype());
        assertEquals(0, d.dim());
        assertEquals(0.1, d.item(), 0);
        assertShape(s.add(Tensor.scalar(1f)));
        assertShape(s.mul(Tensor.of(new float[]{1, 2})), 2);
    }

    @Test
    void fullZerosOnesAndLikes() {
        assertExactly(new double[]{0, 0, 0, 0, 0, 0}, Tensor.zeros(2, 3), "zeros");
        assertExactly(new double[]{1, 1}, Tensor.ones(2), "ones");
        Tensor f = Tensor.full(-1.5, DType.FLOAT64, device(), 2, 2);
        assertEquals(DType.FLOAT64, f.dtype());
        assertExactly(new double[]{-1.5, -1.5, -1.5, -1.5}, f, "full");
        Tensor z = Tensor.zeros(DType.INT64, 3);
        assertEquals(DType.INT64, z.dtype());
        assertExactly(new double[]{1, 1, 1}, Tensor.onesLike(z), "onesLike int64");
        assertEquals(DType.INT64, Tensor.onesLike(z).dtype());
        assertExactly(new double[]{4, 4}, Tensor.fullLike(Tensor.zeros(2), 4), "fullLike");
        assertExactly(new double[]{0, 0, 0, 0}, Tensor.zerosLike(f), "zerosLike");
        assertEquals(DType.FLOAT64, Tensor.zerosLike(f).dtype());
        assertShape(Tensor.zeros(0, 3), 0, 3);
        assertShape(Tensor.ones(), new int[0]);
    }

    @Test
    void arangeCountsLikeTorch() {
        assertExactly(new double[]{0, 1, 2, 3, 4}, Tensor.arange(5), "arange(5)");
        assertExactly(new double[]{1, 1.5, 2, 2.5}, Tensor.arange(1, 3, 0.5), "arange(1, 3, 0.5)");
        assertExactly(new double[]{5, 3, 1}, Tensor.arange(5, 0, -2), "negative step");
        assertEquals(0, Tensor.arange(3, 3, 1).numel());
        assertEquals(0, Tensor.arange(3, 1, 1).numel());
        Tensor l = Tensor.arange(0, 4, 1, DType.INT64, device());
        assertEquals(DType.INT64, l.dtype());
        assertArrayEquals(new long[]{0, 1, 2, 3}, l.toLongArray());
        Tensor d = Tensor.arange(0, 1, 0.1, DType.FLOAT64, device());
        assertEquals(10, d.numel());
        assertEquals(0.9, d.toDoubleArray()[9], 1e-15);
    }

    @Test
    void randomTensorsEqualTheCounterRandomStream() {
        // A draw from a generator fills the tensor with CounterRandom's stream for the generator's next seed.
        long seed = new Generator(1234).nextSeed();
        Tensor u = Tensor.rand(new Generator(1234), 3, 4);
        Tensor n = Tensor.randn(new Generator(1234), 3, 4);
        double[] uv = u.toDoubleArray(), nv = n.toDoubleArray();
        for (int i = 0; i < 12; i++) {
            assertEquals((float) CounterRandom.sample(Distribution.UNIFORM, seed, i, 0, 1), uv[i], 0, "rand element " + i);
            assertEquals((float) CounterRandom.sample(Distribution.NORMAL, seed, i, 0, 1), nv[i], 1e-6, "randn element " + i);
            assertTrue(uv[i] >= 0 && uv[i] < 1);
        }
        long seven = new Generator(7).nextSeed();
        Tensor r = Tensor.random(Distribution.UNIFORM, -2, 3, DType.FLOAT64, device(), new Generator(7), 5);
        Tensor g = Tensor.random(Distribution.NORMAL, 10, 0.5, DType.FLOAT64, device(), new Generator(7), 5);
        for (int i = 0; i < 5; i++) {
            assertEquals(CounterRandom.sample(Distribution.UNIFORM, seven, i, -2, 3), r.toDoubleArray()[i], 1e-15);
            assertEquals(CounterRandom.sample(Distribution.NORMAL, seven, i, 10, 0.5), g.toDoubleArray()[i], 1e-12);
        }
        assertArrayEquals(uv, Tensor.rand(new Generator(1234), 3, 4).toDoubleArray(), 0, "same seed, same numbers");
        assertNotEquals(uv[0], Tensor.rand(new Generator(1235), 3, 4).toDoubleArray()[0], "another seed, other numbers");
    }

    @Test
    void randomFactoriesTakeAShapeOnly() {
        // The trap this guards against: randn(256, 3) once read 256 as a seed and returned shape [3].
        assertEquals(Shape.of(256, 3), Tensor.randn(256, 3).shape());
        assertEquals(Shape.of(3), Tensor.randn(3).shape());
        assertEquals(Shape.of(2, 5), Tensor.rand(2, 5).shape());
        assertEquals(Shape.of(), Tensor.rand().shape());
        assertEquals(DType.FLOAT32, Tensor.randn(4).dtype());
        assertEquals(device(), Tensor.randn(4).device());
    }

    @Test
    void manualSeedReplaysTheGlobalStream() {
        Generator global = Generator.global();
        long saved = global.seed();
        try {
            Tensor.manualSeed(42);
            double[] first = Tensor.randn(2, 3).toDoubleArray();
            double[] second = Tensor.rand(4).toDoubleArray();
            assertNotEquals(first[0], Tensor.randn(2, 3).toDoubleArray()[0], "the global stream moves on");
            Tensor.manualSeed(42);
            assertArrayEquals(first, Tensor.randn(2, 3).toDoubleArray(), 0, "manualSeed restarts the stream");
            assertArrayEquals(second, Tensor.rand(4).toDoubleArray(), 0);
            // The global stream is the stream of a generator with the same seed.
            Generator own = new Generator(42);
            assertArrayEquals(first, Tensor.randn(own, 2, 3).toDoubleArray(), 0);
            assertArrayEquals(second, Tensor.rand(own, 4).toDoubleArray(), 0);
            assertEquals(42, global.seed());
        } finally {
            global.manualSeed(saved);
        }
    }

    @Test
    void randomStatisticsAreSane() {
        double[] u = Tensor.rand(new Generator(99), 20000).toDoubleArray();
        double[] n = Tensor.randn(new Generator(99), 20000).toDoubleArray();
        double mu = 0, mn = 0, vn = 0;
        for (int i = 0; i < u.length; i++) {
            mu += u[i];
            mn += n[i];
            vn += n[i] * n[i];
        }
        mu /= u.length;
        mn /= n.length;
        vn = vn / n.length - mn * mn;
        // 5 standard errors: fails only for a broken generator
        assertEquals(0.5, mu, 5 * Math.sqrt(1 / 12.0 / u.length));
        assertEquals(0.0, mn, 5 * Math.sqrt(1.0 / n.length));
        assertEquals(1.0, vn, 5 * Math.sqrt(2.0 / n.length));
    }

    @Test
    void generatorsReplayTheirSequence() {
        Generator a = new Generator(42), b = new Generator(42);
        double[] a1 = Tensor.rand(a, 4).toDoubleArray(), a2 = Tensor.randn(a, 4).toDoubleArray();
        double[] b1 = Tensor.rand(b, 4).toDoubleArray(), b2 = Tensor.randn(b, 4).toDoubleArray();
        assertArrayEquals(a1, b1, 0);
        assertArrayEquals(a2, b2, 0);
        assertNotEquals(a1[0], Tensor.rand(a, 4).toDoubleArray()[0], "successive draws differ");
        // Each draw uses the generator's next seed: the first draw of 42 is CounterRandom's stream for that seed.
        long s1 = new Generator(42).nextSeed();
        for (int i = 0; i < 4; i++) assertEquals((float) CounterRandom.sample(Distribution.UNIFORM, s1, i, 0, 1), a1[i], 0);
        // Reseeding a generator replays its stream.
        assertArrayEquals(a1, Tensor.rand(a.manualSeed(42), 4).toDoubleArray(), 0);
        Generator d = new Generator(7), e = new Generator(7);
        for (int i = 0; i < 5; i++) {
            double x = d.nextDouble();
            assertEquals(x, e.nextDouble(), 0);
            assertTrue(x >= 0 && x < 1);
        }
        assertEquals(42, a.seed());
    }
}
