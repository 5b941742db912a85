package io.jgrad.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.jgrad.Backends;

import io.jgrad.Generator;
import io.jgrad.Grad;
import io.jgrad.Scope;
import io.jgrad.Tensor;
import io.jgrad.data.Batch;
import io.jgrad.data.DataLoader;
import io.jgrad.data.TensorDataset;
import io.jgrad.nn.Dropout;
import io.jgrad.nn.Linear;
import io.jgrad.nn.Losses;
import io.jgrad.nn.ReLU;
import io.jgrad.nn.Sequential;
import io.jgrad.nn.Tanh;
import io.jgrad.optim.Adam;
import io.jgrad.optim.Optimizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;


import org.junit.jupiter.api.Test;

/**
 * Reproducibility: training from the same seed (initialisation, dropout masks, shuffling all drawn from it) gives
 * bit-identical losses and parameters on every run in a process. Backends whose kernels never let the thread count
 * change the order of floating-point operations (the CPU backend; see docs/RELIABILITY.md) test the same across
 * thread counts separately, since a process's thread count is fixed when it starts.
 */
public abstract class DeterminismSuite extends DeviceSuite {

    /** The network and data of one training run. */
    public record Config(int inFeatures, int hidden, int classes, int batch, int examples, double dropout) {
        /** Small enough that every kernel runs on one thread. */
        public static final Config SMALL = new Config(32, 64, 5, 32, 512, 0.2);
        /**
         * Wide enough that the CPU backend splits its kernels across threads: 512 x 256 activations (element-wise
         * work above the split threshold), 33 M multiply-adds per GEMM, 65 k-element Adam updates.
         */
        public static final Config WIDE = new Config(64, 256, 10, 512, 2048, 0.1);
    }

    /** What a training run leaves behind, as raw bits: the loss of every step, then every parameter element. */
    public record Trace(int[] lossBits, int[] paramBits) {
        /** One line per step and a digest of the parameters: what a child process prints for comparison. */
        public List<String> lines() {
            List<String> out = new ArrayList<>();
            for (int i = 0; i < lossBits.length; i++) {
                out.add("step " + i + " loss " + Float.intBitsToFloat(lossBits[i]) + " bits " + Integer.toHexString(lossBits[i]));
            }
            out.add("parameters " + paramBits.length + " elements, hash " + Integer.toHexString(Arrays.hashCode(paramBits)));
            return out;
        }

        float firstLoss() {
            return Float.intBitsToFloat(lossBits[0]);
        }

        float lastLoss() {
            return Float.intBitsToFloat(lossBits[lossBits.length - 1]);
        }
    }

    /**
     * Trains an MLP with dropout (Linear-ReLU-Dropout-Linear-Tanh-Dropout-Linear, Adam, cross-entropy) on synthetic,
     * learnable data with a shuffling loader, on the default device; everything random comes from {@code seed}.
     * Each step runs in a {@link Scope}, as user code should.
     */
    public static Trace train(Config c, long seed, int steps) {
        Tensor x;
        Tensor y;
        try (Grad.Mode ignored = Grad.disabled()) {
            x = Scope.persist(Tensor.randn(new Generator(seed + 1), c.examples(), c.inFeatures()));
            // the labels are a fixed linear rule of the inputs, so the loss can fall
            y = Scope.persist(x.matmul(Tensor.randn(new Generator(seed + 2), c.inFeatures(), c.classes())).argmax(1, false));
        }
        Generator gen = new Generator(seed);
        Sequential model = new Sequential(
                new Linear(c.inFeatures(), c.hidden(), gen), new ReLU(), new Dropout(c.dropout(), gen),
                new Linear(c.hidden(), c.hidden(), gen), new Tanh(), new Dropout(c.dropout(), gen),
                new Linear(c.hidden(), c.classes(), gen));
        Optimizer opt = new Adam(model.parameters(), 3e-3);
        DataLoader loader = DataLoader.builder(new TensorDataset(x, y)).batchSize(c.batch()).shuffle(true).dropLast(true).seed(seed + 3).build();
        Iterator<Batch> batches = loader.iterator();
        int[] lossBits = new int[steps];
        for (int step = 0; step < steps; step++) {
            try (Scope ignored = Scope.open()) {
                if (!batches.hasNext()) batches = loader.iterator();
                Batch b = batches.next();
                opt.zeroGrad();
                Tensor loss = Losses.crossEntropy(model.forward(b.x()), b.y());
                loss.backward();
                opt.step();
                lossBits[step] = Float.floatToRawIntBits((float) loss.item());
            }
        }
        List<Integer> bits = new ArrayList<>();
        for (Tensor p : model.parameters()) for (float f : p.toFloatArray()) bits.add(Float.floatToRawIntBits(f));
        return new Trace(lossBits, bits.stream().mapToInt(Integer::intValue).toArray());
    }

    /** Fails with the first step (or the parameters) where two traces differ in any bit. */
    public static void assertBitIdentical(Trace expected, Trace actual, String what) {
        assertEquals(expected.lossBits().length, actual.lossBits().length, what + ": number of steps");
        for (int i = 0; i < expected.lossBits().length; i++) {
            if (expected.lossBits()[i] != actual.lossBits()[i]) {
                fail(what + ": the loss first differs at step " + i + ": " + Float.intBitsToFloat(expected.lossBits()[i])
                        + " vs " + Float.intBitsToFloat(actual.lossBits()[i]));
            }
        }
        assertEquals(expected.paramBits().length, actual.paramBits().length, what + ": number of parameter elements");
        for (int i = 0; i < expected.paramBits().length; i++) {
            if (expected.paramBits()[i] != actual.paramBits()[i]) {
                fail(what + ": the losses agree but parameter element " + i + " differs: "
                        + Float.intBitsToFloat(expected.paramBits()[i]) + " vs " + Float.intBitsToFloat(actual.paramBits()[i]));
            }
        }
    }

    @Test
    void sameSeedTrainsBitIdenticallyWithDropoutAndShuffling() {
        Trace first = train(Config.SMALL, 7, 300);
        Trace second = train(Config.SMALL, 7, 300);
        assertBitIdentical(first, second, "two 300-step runs from seed 7");
        // the runs must have trained, or the comparison proves little
        assertTrue(second.lastLoss() < 0.7 * second.firstLoss(),
                "the loss should fall from " + second.firstLoss() + " but ended at " + second.lastLoss());
    }

    @Test
    void wideModelWhoseKernelsRunOnSeveralThreadsIsBitIdenticalRunToRun() {
        Trace first = train(Config.WIDE, 11, 30);
        Trace second = train(Config.WIDE, 11, 30);
        assertBitIdentical(first, second, "two 30-step runs of the wide model from seed 11");
    }

    @Test
    void aDifferentSeedGivesADifferentRun() {
        // guards the tests above: they would pass trivially if the seed did not reach initialisation, dropout or order
        Trace a = train(Config.SMALL, 7, 20);
        Trace b = train(Config.SMALL, 8, 20);
        assertTrue(!Arrays.equals(a.lossBits(), b.lossBits()) && !Arrays.equals(a.paramBits(), b.paramBits()),
                "seeds 7 and 8 gave identical training");
    }

    @Test
    void dropoutMasksAndShuffleOrderDependOnlyOnTheirSeeds() {
        // the two sources of randomness inside a step, each replayed on its own
        Tensor ones = Tensor.ones(64, 64);
        float[] m1 = new Dropout(0.5, new Generator(99)).forward(ones).toFloatArray();
        float[] m2 = new Dropout(0.5, new Generator(99)).forward(ones).toFloatArray();
        assertTrue(Arrays.equals(m1, m2), "two Dropout(0.5, seed 99) modules drew different masks");
        int zeros = 0;
        for (float f : m1) if (f == 0) zeros++;
        assertTrue(zeros > 64 * 64 / 3 && zeros < 2 * 64 * 64 / 3, "Dropout(0.5) zeroed " + zeros + " of 4096");
        TensorDataset data = new TensorDataset(Tensor.arange(100).reshape(100, 1), Tensor.arange(100));
        int[] o1 = DataLoader.builder(data).batchSize(10).shuffle(true).seed(5).build().order(3);
        int[] o2 = DataLoader.builder(data).batchSize(10).shuffle(true).seed(5).build().order(3);
        assertTrue(Arrays.equals(o1, o2), "epoch 3 of two loaders seeded 5 visited examples in different orders");
        assertTrue(!Arrays.equals(o1, DataLoader.builder(data).batchSize(10).shuffle(true).seed(5).build().order(4)), "epochs 3 and 4 share an order");
    }
}
