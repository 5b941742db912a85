package io.jgrad.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgrad.DType;
import io.jgrad.Device;
import io.jgrad.Generator;
import io.jgrad.Grad;
import io.jgrad.Tensor;
import io.jgrad.nn.Init;
import io.jgrad.spi.CounterRandom;
import io.jgrad.spi.Distribution;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * randint, randperm, bernoulli, multinomial and the in-place initialisers: the exact stream each draws from a seed
 * (the same on every device), statistics with fixed seeds (moments, chi-square at p = 0.001), validity (ranges,
 * permutations, no repeats without replacement) and the errors bad arguments get.
 */
public abstract class RandomVocabularySuite extends DeviceSuite {

    private static void fails(Class<? extends Throwable> type, Executable call, String... fragments) {
        Throwable e = assertThrows(type, call);
        for (String f : fragments) assertTrue(e.getMessage().contains(f), "'" + f + "' missing from: " + e.getMessage());
    }

    /** Pearson's statistic of observed counts against expected ones. */
    private static double chiSquare(long[] observed, double[] expected) {
        double s = 0;
        for (int i = 0; i < observed.length; i++) s += (observed[i] - expected[i]) * (observed[i] - expected[i]) / expected[i];
        return s;
    }

    // ------------------------------------------------------------------ randint

    @Test
    void randintFollowsTheCounterStream() {
        Tensor r = Tensor.randint(new Generator(5), -3, 7, 4, 25);
        assertEquals(DType.INT64, r.dtype());
        assertEquals(device(), r.device());
        assertArrayEquals(new int[]{4, 25}, r.shape().toArray());
        long seed = new Generator(5).nextSeed();
        long[] v = r.toLongArray();
        for (int i = 0; i < v.length; i++) assertEquals(-3 + (long) Math.floor(CounterRandom.uniform(seed, i) * 10), v[i]);
        assertArrayEquals(v, Tensor.randint(-3, 7, Device.CPU, new Generator(5), 4, 25).toLongArray(), "the same on the CPU");
        Tensor.manualSeed(11);
        long[] a = Tensor.randint(0, 1000, 50).toLongArray();
        Tensor.manualSeed(11);
        assertArrayEquals(a, Tensor.randint(0, 1000, 50).toLongArray(), "manualSeed repeats the global stream");
        assertFalse(Arrays.equals(a, Tensor.randint(0, 1000, 50).toLongArray()), "the next draw differs");
    }

    @Test
    void randintIsUniform() {
        int n = 20000;
        long[] v = Tensor.randint(new Generator(21), 0, 10, n).toLongArray();
        long[] counts = new long[10];
        double sum = 0;
        for (long x : v) {
            assertTrue(x >= 0 && x < 10, "in range: " + x);
            counts[(int) x]++;
            sum += x;
        }
        assertEquals(4.5, sum / n, 4 * Math.sqrt(99.0 / 12 / n), "mean");
        double[] expected = new double[10];
        Arrays.fill(expected, n / 10.0);
        assertTrue(chiSquare(counts, expected) < 27.88, "chi-square, 9 degrees of freedom: " + chiSquare(counts, expected));
        long[] one = Tensor.randint(new Generator(2), 5, 6, 10).toLongArray();
        for (long x : one) assertEquals(5, x);
    }

    @Test
    void randintRejectsBadRanges() {
        fails(IllegalArgumentException.class, () -> Tensor.randint(3, 3, 2), "randint", "[3, 3)");
        fails(IllegalArgumentException.class, () -> Tensor.randint(0, 10, -1), "randint", "negative");
        fails(IllegalArgumentException.class, () -> Tensor.randint(null, 0, 10, 2), "randint", "generator");
    }

    // ------------------------------------------------------------------ randperm

    @Test
    void randpermIsAPermutation() {
        Tensor p = Tensor.randperm(1000, new Generator(3));
        assertEquals(DType.INT64, p.dtype());
        assertEquals(device(), p.device());
        long[] v = p.toLongArray();
        long[] sorted = v.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < sorted.length; i++) assertEquals(i, sorted[i]);
        long[] identity = new long[1000];
        for (int i = 0; i < 1000; i++) identity[i] = i;
        assertFalse(Arrays.equals(identity, v));
        assertArrayEquals(v, Tensor.randperm(1000, Device.CPU, new Generator(3)).toLongArray(), "the same on the CPU");
        assertEquals(0, Tensor.randperm(0).numel());
        assertArrayEquals(new long[]{0}, Tensor.randperm(1).toLongArray());
        fails(IllegalArgumentException.class, () -> Tensor.randperm(-1), "randperm", "-1");
    }

    @Test
    void randpermPlacesEachElementUniformly() {
        Generator gen = new Generator(8);
        int draws = 2000;
        long[] positionOfZero = new long[5];
        for (int d = 0; d < draws; d++) {
            long[] v = Tensor.randperm(5, Device.CPU, gen).toLongArray();
            for (int i = 0; i < 5; i++) if (v[i] == 0) positionOfZero[i]++;
        }
        double[] expected = new double[5];
        Arrays.fill(expected, draws / 5.0);
        assertTrue(chiSquare(positionOfZero, expected) < 18.47, "chi-square, 4 degrees of freedom: " + Arrays.toString(positionOfZero));
    }

    // ------------------------------------------------------------------ bernoulli

    @Test
    void bernoulliFollowsTheCounterStream() {
        double[] probs = {0, 0.25, 0.5, 0.75, 1, 0.1, 0.9, 0.5};
        Tensor p = Tensor.of(probs);
        Tensor b = p.bernoulli(new Generator(9));
        assertEquals(DType.FLOAT64, b.dtype());
        long seed = new Generator(9).nextSeed();
        double[] v = b.toDoubleArray();
        for (int i = 0; i < probs.length; i++) assertEquals(CounterRandom.uniform(seed, i) < probs[i] ? 1 : 0, v[i]);
        Tensor f = Tensor.of(new float[]{0.5f, 0.5f}).bernoulli(new Generator(1));
        assertEquals(DType.FLOAT32, f.dtype(), "bernoulli keeps the probabilities' dtype");
        Tensor like = Tensor.zeros(DType.FLOAT32, 3, 4).bernoulli(0.5, new Generator(4));
        assertArrayEquals(new int[]{3, 4}, like.shape().toArray());
        assertArrayEquals(like.toDoubleArray(), Tensor.zeros(DType.FLOAT32, Device.CPU, 3, 4).bernoulli(0.5, new Generator(4)).toDoubleArray());
    }

    @Test
    void bernoulliHasTheRightMean() {
        int n = 20000;
        double mean = Tensor.full(0.3, DType.FLOAT64, device(), n).bernoulli(new Generator(31)).mean().item();
        assertEquals(0.3, mean, 4 * Math.sqrt(0.21 / n));
        double[] zeros = Tensor.zeros(DType.FLOAT64, 100).bernoulli(new Generator(1)).toDoubleArray();
        double[] ones = Tensor.ones(DType.FLOAT64, 100).bernoulli(new Generator(1)).toDoubleArray();
        for (int i = 0; i < 100; i++) {
            assertEquals(0, zeros[i]);
            assertEquals(1, ones[i]);
        }
        assertEquals(0.7, Tensor.zeros(n).bernoulli(0.7, new Generator(2)).mean().item(), 4 * Math.sqrt(0.21 / n));
    }

    @Test
    void bernoulliRejectsBadProbabilities() {
        fails(IllegalArgumentException.class, () -> Tensor.of(new long[]{0, 1}).bernoulli(), "bernoulli", "int64");
        fails(IllegalArgumentException.class, () -> Tensor.ones(2).bernoulli(1.5), "bernoulli", "1.5");
        if (device().equals(Device.CPU)) { // checking a device tensor's values would cost a synchronising download
            fails(IllegalArgumentException.class, () -> Tensor.of(new double[]{0.5, -0.1}).bernoulli(), "bernoulli", "-0.1");
        }
    }

    // ------------------------------------------------------------------ multinomial

    @Test
    void multinomialWithReplacementMatchesTheProbabilities() {
        double[] probs = {0.1, 0.2, 0.3, 0.4};
        int n = 20000;
        Tensor s = Tensor.of(new double[]{1, 2, 3, 4}).multinomial(n, true, new Generator(13)); // weights need not sum to 1
        assertEquals(DType.INT64, s.dtype());
        assertArrayEquals(new int[]{n}, s.shape().toArray());
        long[] counts = new long[4];
        for (long c : s.toLongArray()) counts[(int) c]++;
        double[] expected = new double[4];
        for (int i = 0; i < 4; i++) expected[i] = probs[i] * n;
        assertTrue(chiSquare(counts, expected) < 16.27, "chi-square, 3 degrees of freedom: " + Arrays.toString(counts));
        assertArrayEquals(s.toLongArray(), Tensor.of(new double[]{1, 2, 3, 4}, Device.CPU).multinomial(n, true, new Generator(13)).toLongArray());
        // 2-D: one row per distribution; a zero weight is never drawn
        Tensor rows = Tensor.of(new float[]{0, 1, 0, 1, 1, 0, 0, 0}, 2, 4).multinomial(50, true, new Generator(2));
        assertArrayEquals(new int[]{2, 50}, rows.shape().toArray());
        long[] v = rows.toLongArray();
        for (int i = 0; i < 50; i++) assertTrue(v[i] == 1 || v[i] == 3, "row 0 draws only 1 and 3: " + v[i]);
        for (int i = 50; i < 100; i++) assertEquals(0, v[i]);
    }

    @Test
    void multinomialWithoutReplacementNeverRepeats() {
        Generator gen = new Generator(17);
        Tensor probs = Tensor.of(new double[]{0.1, 0.2, 0.3, 0.4, 0, 5, 1, 1}, 2, 4);
        for (int trial = 0; trial < 20; trial++) {
            long[] v = probs.multinomial(3, false, gen).toLongArray();
            for (int r = 0; r < 2; r++) {
                long[] row = Arrays.copyOfRange(v, 3 * r, 3 * r + 3);
                assertEquals(3, Arrays.stream(row).distinct().count(), "no repeats: " + Arrays.toString(row));
                if (r == 1) for (long c : row) assertNotEquals(0, c, "a zero weight is never drawn");
            }
        }
        long[] all = Tensor.of(new double[]{1, 1, 1, 1, 1}).multinomial(5, false, gen).toLongArray();
        long[] sorted = all.clone();
        Arrays.sort(sorted);
        assertArrayEquals(new long[]{0, 1, 2, 3, 4}, sorted, "all categories: a permutation");
        // the first draw follows the weights
        int n = 4000;
        long[] first = new long[4];
        Tensor w = Tensor.of(new double[]{0.1, 0.2, 0.3, 0.4});
        for (int i = 0; i < n / 100; i++) {
            Tensor batch = w.reshape(1, 4).expand(100, 4).contiguous().multinomial(2, false, gen);
            long[] b = batch.toLongArray();
            for (int k = 0; k < 100; k++) first[(int) b[2 * k]]++;
        }
        assertTrue(chiSquare(first, new double[]{0.1 * n, 0.2 * n, 0.3 * n, 0.4 * n}) < 16.27, Arrays.toString(first));
    }

    @Test
    void multinomialRejectsBadArguments() {
        Tensor p = Tensor.of(new double[]{0.5, 0.5, 0});
        fails(IllegalArgumentException.class, () -> p.multinomial(4, false), "multinomial", "4", "3 categories");
        fails(IllegalArgumentException.class, () -> p.multinomial(3, false), "multinomial", "non-zero");
        fails(IllegalArgumentException.class, () -> Tensor.of(new double[]{0.5, -1}).multinomial(1, true), "multinomial", "-1");
        fails(IllegalArgumentException.class, () -> Tensor.zeros(DType.FLOAT64, 3).multinomial(1, true), "multinomial", "sums to 0");
        fails(IllegalArgumentException.class, () -> Tensor.ones(2, 2, 2).multinomial(1, true), "multinomial", "[2, 2, 2]");
        fails(IllegalArgumentException.class, () -> Tensor.of(new long[]{1, 1}).multinomial(1, true), "multinomial", "int64");
        fails(IllegalArgumentException.class, () -> p.multinomial(0, true), "multinomial", "positive");
    }

    // ------------------------------------------------------------------ normalInPlace and uniformInPlace

    @Test
    void inPlaceInitialisersHaveTheRightMoments() {
        int n = 50000;
        Tensor t = Tensor.zeros(DType.FLOAT64, n).normalInPlace(2, 3, new Generator(41));
        double mean = t.mean().item(), std = Math.sqrt(t.var().item());
        assertEquals(2, mean, 4 * 3 / Math.sqrt(n));
        assertEquals(3, std, 0.05);
        Tensor u = Tensor.zeros(n).uniformInPlace(-1, 5, new Generator(43));
        double[] v = u.toDoubleArray();
        for (double x : v) assertTrue(x >= -1 && x < 5, "in [-1, 5): " + x);
        assertEquals(2, u.mean().item(), 4 * Math.sqrt(36.0 / 12 / n));
        assertEquals(3, u.var().item(), 0.05);
    }

    @Test
    void inPlaceInitialisersMatchTheFactoriesAndInit() {
        Tensor a = Tensor.zeros(3, 4).normalInPlace(0.5, 2, new Generator(6));
        Tensor b = Tensor.random(Distribution.NORMAL, 0.5, 2, DType.FLOAT32, device(), new Generator(6), 3, 4);
        Tensor c = Init.normal(Tensor.zeros(3, 4), 0.5, 2, new Generator(6));
        assertArrayEquals(b.toFloatArray(), a.toFloatArray());
        assertArrayEquals(c.toFloatArray(), a.toFloatArray());
        Tensor cpu = Tensor.zeros(DType.FLOAT32, Device.CPU, 3, 4).uniformInPlace(-2, 2, new Generator(6));
        assertArrayEquals(cpu.toFloatArray(), Tensor.zeros(3, 4).uniformInPlace(-2, 2, new Generator(6)).toFloatArray(), "the same on the CPU");
        Tensor.manualSeed(99);
        float[] g1 = Tensor.zeros(5).uniformInPlace(0, 1).toFloatArray();
        Tensor.manualSeed(99);
        assertArrayEquals(g1, Tensor.zeros(5).uniformInPlace(0, 1).toFloatArray(), "the global generator repeats after manualSeed");
    }

    @Test
    void inPlaceInitialisersWriteOnlyTheirView() {
        Tensor m = Tensor.zeros(DType.FLOAT64, 4, 3);
        int before = m.version();
        m.select(1, 1).uniformInPlace(1, 2, new Generator(1));
        assertTrue(m.version() > before, "the write bumps the version");
        double[] v = m.toDoubleArray();
        for (int r = 0; r < 4; r++) {
            assertEquals(0, v[3 * r]);
            assertTrue(v[3 * r + 1] >= 1 && v[3 * r + 1] < 2);
            assertEquals(0, v[3 * r + 2]);
        }
        // the column gets the stream a dense tensor of its shape gets
        assertArrayEquals(Tensor.zeros(DType.FLOAT64, 4).uniformInPlace(1, 2, new Generator(1)).toDoubleArray(),
                m.select(1, 1).toDoubleArray());
    }

    @Test
    void inPlaceInitialisersRejectBadTargets() {
        Tensor w = Tensor.zeros(2, 2).requiresGrad(true);
        fails(IllegalStateException.class, () -> w.normalInPlace(0, 1), "normalInPlace", "requires grad", "Grad.disabled()");
        try (Grad.Mode ignored = Grad.disabled()) {
            w.normalInPlace(0, 1); // allowed for initialisation
        }
        fails(IllegalArgumentException.class, () -> Tensor.zeros(DType.INT64, 3).uniformInPlace(0, 1), "uniformInPlace", "int64");
        fails(IllegalArgumentException.class, () -> Tensor.zeros(3).normalInPlace(0, -1), "normalInPlace", "-1");
        fails(IllegalArgumentException.class, () -> Tensor.zeros(3).uniformInPlace(2, 1), "uniformInPlace", "[2.0, 1.0)");
        fails(IllegalArgumentException.class, () -> Tensor.zeros(1).expand(3).uniformInPlace(0, 1), "uniformInPlace", "expanded");
    }
}
