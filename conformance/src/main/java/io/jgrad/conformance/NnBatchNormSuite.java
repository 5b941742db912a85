package io.jgrad.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;


import io.jgrad.DType;
import io.jgrad.Generator;

import io.jgrad.Grad;
import io.jgrad.GradCheck;
import io.jgrad.Tensor;
import io.jgrad.nn.BatchNorm1d;
import java.util.Arrays;
import java.util.Map;


import org.junit.jupiter.api.Test;

/** BatchNorm1d against hand-computed batch and running statistics, in both modes, with gradients. */
public abstract class NnBatchNormSuite extends DeviceSuite {

    private static final double EPS = 1e-5;

    private static void set(Tensor target, double... values) {
        try (Grad.Mode ignored = Grad.disabled()) {
            target.copyFrom(Tensor.of(values, target.shape().toArray()).to(target.dtype()));
        }
    }

    private static BatchNorm1d bn64(int features) {
        BatchNorm1d bn = new BatchNorm1d(features);
        bn.to(DType.FLOAT64);
        return bn;
    }

    // Batch 1, two channels: [1, 3, 5, 7] (mean 4, biased var 5, unbiased 20/3) and [2, 6, 10, 4] (mean 5.5,
    // squared deviations 12.25 + 0.25 + 20.25 + 2.25 = 35: biased var 8.75, unbiased 35/3).
    private static final double[] BATCH1 = {1, 2, 3, 6, 5, 10, 7, 4};
    // Batch 2: [0, 2, 4] (mean 2, unbiased var 4) and [1, 1, 7] (mean 3, unbiased var 12).
    private static final double[] BATCH2 = {0, 1, 2, 1, 4, 7};

    @Test
    void trainModeNormalisesWithBiasedBatchStatistics() {
        BatchNorm1d bn = bn64(2);
        set(bn.weight(), 2, -1);
        set(bn.bias(), 0.5, 1);
        double[] mean = {4, 5.5};
        double[] var = {5, 8.75};
        double[] w = {2, -1};
        double[] b = {0.5, 1};
        double[] expected = new double[8];
        for (int i = 0; i < 8; i++) {
            int c = i % 2;
            expected[i] = (BATCH1[i] - mean[c]) / Math.sqrt(var[c] + EPS) * w[c] + b[c];
        }
        assertArrayEquals(expected, bn.forward(Tensor.of(BATCH1, 4, 2)).toDoubleArray(), 1e-12);
    }

    @Test
    void runningStatisticsAfterTwoStepsUseMomentumAndUnbiasedVariance() {
        BatchNorm1d bn = bn64(2);
        bn.forward(Tensor.of(BATCH1, 4, 2));
        assertArrayEquals(new double[]{0.1 * 4, 0.1 * 5.5}, bn.runningMean().toDoubleArray(), 1e-12);
        double[] var1 = {0.9 + 0.1 * 20 / 3, 0.9 + 0.1 * 35 / 3};
        assertArrayEquals(var1, bn.runningVar().toDoubleArray(), 1e-12);
        assertEquals(1, bn.numBatchesTracked());

        bn.forward(Tensor.of(BATCH2, 3, 2));
        double[] mean2 = {0.9 * 0.4 + 0.1 * 2, 0.9 * 0.55 + 0.1 * 3};
        double[] var2 = {0.9 * var1[0] + 0.1 * 4, 0.9 * var1[1] + 0.1 * 12};
        assertArrayEquals(mean2, bn.runningMean().toDoubleArray(), 1e-12);
        assertArrayEquals(var2, bn.runningVar().toDoubleArray(), 1e-12);
        assertEquals(2, bn.numBatchesTracked());
        assertArrayEquals(new long[]{2}, bn.namedBuffers().get("num_batches_tracked").toLongArray());
    }

    @Test
    void evalModeUsesRunningStatisticsAndDiffersFromTrain() {
        BatchNorm1d bn = bn64(2);
        set(bn.weight(), 1.5, 0.5);
        set(bn.bias(), -1, 2);
        bn.forward(Tensor.of(BATCH1, 4, 2));
        double[] rm = bn.runningMean().toDoubleArray();
        double[] rv = bn.runningVar().toDoubleArray();
        double[] w = {1.5, 0.5};
        double[] b = {-1, 2};
        Tensor x = Tensor.of(BATCH2, 3, 2);
        double[] expected = new double[6];
        for (int i = 0; i < 6; i++) {
            int c = i % 2;
            expected[i] = (BATCH2[i] - rm[c]) / Math.sqrt(rv[c] + EPS) * w[c] + b[c];
        }
        bn.eval();
        double[] evalOut = bn.forward(x).toDoubleArray();
        assertArrayEquals(expected, evalOut, 1e-12);
        assertArrayEquals(rm, bn.runningMean().toDoubleArray(), 0, "eval leaves the running mean alone");
        assertArrayEquals(rv, bn.runningVar().toDoubleArray(), 0, "eval leaves the running variance alone");
        assertEquals(1, bn.numBatchesTracked());
        // A single sample is fine in eval mode.
        assertEquals(2, bn.forward(Tensor.of(new double[]{1, 2}, 1, 2)).numel());

        bn.train();
        double[] trainOut = bn.forward(x).toDoubleArray();
        assertFalse(Arrays.equals(evalOut, trainOut));
        // Train mode normalised with the batch's own statistics: each channel now has mean b and biased std ~ |w|.
        double mean0 = (trainOut[0] + trainOut[2] + trainOut[4]) / 3;
        assertEquals(-1, mean0, 1e-12);
    }

    @Test
    void threeDimensionalInputNormalisesOverBatchAndLength() {
        BatchNorm1d bn = bn64(2);
        set(bn.weight(), 2, 3);
        set(bn.bias(), 0, -1);
        Tensor x = Tensor.randn(new Generator(3), 4, 2, 5).to(DType.FLOAT64);
        double[] xs = x.toDoubleArray();
        double[] w = {2, 3};
        double[] b = {0, -1};
        double[] expected = new double[xs.length];
        double[] unbiased = new double[2];
        double[] means = new double[2];
        for (int c = 0; c < 2; c++) {
            double mean = 0;
            for (int n = 0; n < 4; n++) for (int l = 0; l < 5; l++) mean += xs[n * 10 + c * 5 + l];
            mean /= 20;
            double ss = 0;
            for (int n = 0; n < 4; n++) for (int l = 0; l < 5; l++) ss += Math.pow(xs[n * 10 + c * 5 + l] - mean, 2);
            for (int n = 0; n < 4; n++) {
                for (int l = 0; l < 5; l++) {
                    int i = n * 10 + c * 5 + l;
                    expected[i] = (xs[i] - mean) / Math.sqrt(ss / 20 + EPS) * w[c] + b[c];
                }
            }
            means[c] = mean;
            unbiased[c] = ss / 19;
        }
        Tensor y = bn.forward(x);
        assertArrayEquals(new int[]{4, 2, 5}, y.shape().toArray());
        assertArrayEquals(expected, y.toDoubleArray(), 1e-12);
        assertArrayEquals(new double[]{0.1 * means[0], 0.1 * means[1]}, bn.runningMean().toDoubleArray(), 1e-12);
        assertArrayEquals(new double[]{0.9 + 0.1 * unbiased[0], 0.9 + 0.1 * unbiased[1]}, bn.runningVar().toDoubleArray(), 1e-12);
    }

    @Test
    void float32TrainingMatchesTheFloat64Reference() {
        BatchNorm1d bn = new BatchNorm1d(2);
        float[] out = bn.forward(Tensor.of(BATCH1, 4, 2).to(DType.FLOAT32)).toFloatArray();
        double[] mean = {4, 5.5};
        double[] var = {5, 8.75};
        for (int i = 0; i < 8; i++) {
            assertEquals((BATCH1[i] - mean[i % 2]) / Math.sqrt(var[i % 2] + EPS), out[i], 1e-5, "element " + i);
        }
    }

    @Test
    void trainModeGradCheck() {
        BatchNorm1d bn = bn64(3);
        Tensor x = Tensor.randn(new Generator(5), 4, 3).to(DType.FLOAT64).requiresGrad(true);
        Tensor w = Tensor.randn(new Generator(6), 3).to(DType.FLOAT64).requiresGrad(true);
        Tensor b = Tensor.randn(new Generator(7), 3).to(DType.FLOAT64).requiresGrad(true);
        GradCheck.check(in -> bn.functionalCall(Map.of("weight", in[1], "bias", in[2]), in[0]), x, w, b).assertPassed();
        Tensor x3 = Tensor.randn(new Generator(8), 2, 3, 2).to(DType.FLOAT64).requiresGrad(true);
        GradCheck.check(in -> bn.forward(in[0]), x3).assertPassed();
    }

    @Test
    void evalModeGradCheck() {
        BatchNorm1d bn = bn64(3);
        bn.forward(Tensor.randn(new Generator(9), 6, 3).to(DType.FLOAT64));
        bn.eval();
        Tensor x = Tensor.randn(new Generator(10), 2, 3).to(DType.FLOAT64).requiresGrad(true);
        Tensor w = Tensor.randn(new Generator(11), 3).to(DType.FLOAT64).requiresGrad(true);
        GradCheck.check(in -> bn.functionalCall(Map.of("weight", in[1]), in[0]), x, w).assertPassed();
    }

    @Test
    void rejectsBadInputs() {
        BatchNorm1d bn = new BatchNorm1d(3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> bn.forward(Tensor.ones(4, 2)));
        assertTrue(e.getMessage().contains("BatchNorm1d") && e.getMessage().contains("[4, 2]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> bn.forward(Tensor.ones(1, 3)));
        assertTrue(e.getMessage().contains("more than 1 value per channel"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> bn.forward(Tensor.ones(DType.FLOAT64, 4, 3)));
        assertThrows(IllegalArgumentException.class, () -> new BatchNorm1d(3, 1e-5, 1.5));
        assertEquals(0, bn.numBatchesTracked(), "failed calls leave the statistics alone");
    }

    @Test
    void stateDictCarriesRunningStatisticsAndTheBatchCounter() {
        BatchNorm1d trained = bn64(2);
        trained.forward(Tensor.of(BATCH1, 4, 2));
        trained.forward(Tensor.of(BATCH2, 3, 2));
        BatchNorm1d fresh = bn64(2);
        fresh.loadStateDict(trained.stateDict());
        assertEquals(2, fresh.numBatchesTracked());
        assertArrayEquals(trained.runningVar().toDoubleArray(), fresh.runningVar().toDoubleArray(), 0);
        trained.eval();
        fresh.eval();
        Tensor x = Tensor.of(new double[]{3, -2, 1, 8}, 2, 2);
        assertArrayEquals(trained.forward(x).toDoubleArray(), fresh.forward(x).toDoubleArray(), 0);
        fresh.train();
        fresh.forward(Tensor.of(BATCH1, 4, 2));
        assertEquals(3, fresh.numBatchesTracked());
    }
}
