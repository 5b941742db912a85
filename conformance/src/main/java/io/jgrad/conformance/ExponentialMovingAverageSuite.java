package io.jgrad.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgrad.Grad;
import io.jgrad.Tensor;
import io.jgrad.nn.Linear;
import io.jgrad.optim.ExponentialMovingAverage;
import io.jgrad.optim.SGD;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link ExponentialMovingAverage}: its averages against the recurrence computed by hand in float64 (with and without
 * the warm-up of the decay), swapping the averages in and the trained values back bit for bit, a state dict that
 * resumes the very same trajectory, training that goes on after a swap, and bad input.
 */
public abstract class ExponentialMovingAverageSuite extends DeviceSuite {
    /** The parameter values of step s: weight [2, 3] then bias [2], a fixed sequence with no pattern the average could hide. */
    private static double[] valuesAt(int s) {
        double[] v = new double[8];
        for (int i = 0; i < v.length; i++) v[i] = Math.sin(1.7 * s + 0.9 * i) * (1 + 0.1 * i) + 0.05 * s;
        return v;
    }

    private static Linear model() {
        double[] v = valuesAt(0);
        Tensor w = Tensor.of(java.util.Arrays.copyOfRange(v, 0, 6), 2, 3).requiresGrad(true);
        Tensor b = Tensor.of(java.util.Arrays.copyOfRange(v, 6, 8), 2).requiresGrad(true);
        return new Linear(w, b);
    }

    /** Plays an optimizer: sets the parameters to the values of step s. */
    private static void setStep(Linear m, int s) {
        double[] v = valuesAt(s);
        try (Grad.Mode noGrad = Grad.disabled()) {
            m.weight().copyFrom(Tensor.of(java.util.Arrays.copyOfRange(v, 0, 6), 2, 3));
            m.bias().copyFrom(Tensor.of(java.util.Arrays.copyOfRange(v, 6, 8), 2));
        }
    }

    private static double[] flat(Linear m) {
        double[] w = m.weight().toDoubleArray();
        double[] b = m.bias().toDoubleArray();
        double[] out = new double[8];
        System.arraycopy(w, 0, out, 0, 6);
        System.arraycopy(b, 0, out, 6, 2);
        return out;
    }

    /** The recurrence by hand: avg starts at step 0's values, avg += (1 - d_n) (p_n - avg). */
    private static double[] expected(int steps, double decay, boolean warmUp) {
        double[] avg = valuesAt(0);
        for (int n = 0; n < steps; n++) {
            double d = warmUp ? Math.min(decay, (1.0 + n) / (10.0 + n)) : decay;
            double[] p = valuesAt(n + 1);
            for (int i = 0; i < avg.length; i++) avg[i] += (1 - d) * (p[i] - avg[i]);
        }
        return avg;
    }

    private static double[] averagedValues(ExponentialMovingAverage ema, Linear m) {
        try (ExponentialMovingAverage.Swap swap = ema.swapIn()) {
            return flat(m);
        }
    }

    @Test
    void averagesFollowTheRecurrenceInFloat64() {
        for (boolean warmUp : new boolean[] {false, true}) {
            Linear m = model();
            try (ExponentialMovingAverage ema = new ExponentialMovingAverage(m, 0.9, warmUp)) {
                for (int s = 1; s <= 25; s++) {
                    setStep(m, s);
                    ema.update();
                }
                assertEquals(25, ema.updates());
                // one float64 rounding per step and element apart from the hand computation at most
                assertArrayEquals(expected(25, 0.9, warmUp), averagedValues(ema, m), 1e-13, "warmUp " + warmUp);
            }
        }
    }

    @Test
    void warmUpShortensTheMemoryOfTheStart() {
        Linear m = model();
        try (ExponentialMovingAverage ema = new ExponentialMovingAverage(m, 0.999, true)) {
            assertEquals(0.1, ema.currentDecay(), 0);
            setStep(m, 1);
            ema.update();
            assertEquals(2.0 / 11.0, ema.currentDecay(), 1e-16);
            // after one update the average is 0.1 * start + 0.9 * step 1
            double[] start = valuesAt(0);
            double[] one = valuesAt(1);
            double[] avg = averagedValues(ema, m);
            for (int i = 0; i < avg.length; i++) assertEquals(0.1 * start[i] + 0.9 * one[i], avg[i], 1e-15);
        }
        Linear fixed = model();
        try (ExponentialMovingAverage ema = new ExponentialMovingAverage(fixed, 0.999)) {
            assertEquals(0.999, ema.currentDecay(), 0);
        }
    }

    @Test
    void float32AveragesStayWithinRoundingOfTheFloat64Recurrence() {
        Linear m = model();
        m.to(io.jgrad.DType.FLOAT32);
        try (ExponentialMovingAverage ema = new ExponentialMovingAverage(m, 0.95, true)) {
            for (int s = 1; s <= 40; s++) {
                double[] v = valuesAt(s);
                try (Grad.Mode noGrad = Grad.disabled()) {
                    m.weight().copyFrom(Tensor.of(java.util.Arrays.copyOfRange(v, 0, 6), 2, 3).to(io.jgrad.DType.FLOAT32));
                    m.bias().copyFrom(Tensor.of(java.util.Arrays.copyOfRange(v, 6, 8), 2).to(io.jgrad.DType.FLOAT32));
                }
                ema.update();
            }
            double[] want = expected(40, 0.95, true);
            double[] got = averagedValues(ema, m);
            // the parameters themselves are float32 roundings (2^-24 relative), and each step adds one rounding
            for (int i = 0; i < want.length; i++) assertEquals(want[i], got[i], 4e-6 * Math.max(1, Math.abs(want[i])), "element " + i);
        }
    }

    @Test
    void swappingInAndBackRestoresTheTrainedValuesBitForBit() {
        Linear m = model();
        try (ExponentialMovingAverage ema = new ExponentialMovingAverage(m, 0.8)) {
            for (int s = 1; s <= 5; s++) {
                setStep(m, s);
                ema.update();
            }
            double[] trained = flat(m);
            double[] averaged;
            try (ExponentialMovingAverage.Swap swap = ema.swapIn()) {
                averaged = flat(m);
                assertTrue(!java.util.Arrays.equals(trained, averaged), "the averages differ from the trained values");
                assertThrows(IllegalStateException.class, ema::update, "no update while swapped in");
                assertThrows(IllegalStateException.class, ema::swapIn, "no second swap");
            }
            assertArrayEquals(trained, flat(m), 0);
            // and the averages are unchanged by the round trip
            assertArrayEquals(averaged, averagedValues(ema, m), 0);
            assertArrayEquals(expected(5, 0.8, false), averaged, 1e-14);
        }
    }

    @Test
    void trainingGoesOnAfterASwapAndCopyToKeepsTheAverages() {
        Linear m = model();
        SGD sgd = new SGD(m.parameters(), 0.1);
        Tensor x = Tensor.of(new double[] {0.5, -1.0, 2.0}, 1, 3);
        try (ExponentialMovingAverage ema = new ExponentialMovingAverage(m, 0.5)) {
            for (int s = 0; s < 3; s++) {
                m.zeroGrad();
                m.forward(x).square().sum().backward();
                sgd.step();
                ema.update();
                try (ExponentialMovingAverage.Swap swap = ema.swapIn()) {
                    m.forward(x).sum().item();
                }
            }
            assertTrue(m.weight().requiresGrad() && m.bias().requiresGrad());
            m.zeroGrad();
            m.forward(x).square().sum().backward();
            assertTrue(m.weight().grad() != null, "gradients still reach the parameters after swaps");
            double[] averaged = averagedValues(ema, m);
            ema.copyTo();
            assertArrayEquals(averaged, flat(m), 0);
        }
    }

    @Test
    void aStateDictResumesTheSameTrajectory() {
        Linear a = model();
        Linear b = model();
        try (ExponentialMovingAverage first = new ExponentialMovingAverage(a, 0.9, true);
             ExponentialMovingAverage second = new ExponentialMovingAverage(b, 0.9, true)) {
            for (int s = 1; s <= 7; s++) {
                setStep(a, s);
                first.update();
            }
            LinkedHashMap<String, Tensor> state = first.stateDict();
            assertEquals(java.util.List.of("weight", "bias", "updates"), java.util.List.copyOf(state.keySet()));
            second.loadStateDict(state);
            assertEquals(7, second.updates());
            for (int s = 8; s <= 12; s++) {
                setStep(a, s);
                setStep(b, s);
                first.update();
                second.update();
            }
            assertArrayEquals(averagedValues(first, a), averagedValues(second, b), 0);
        }
    }

    @Test
    void badInputFailsClearly() {
        Linear m = model();
        for (double d : new double[] {1.0, -0.1, Double.NaN}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ExponentialMovingAverage(m, d));
            assertTrue(e.getMessage().contains("decay must be in [0, 1)"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> new ExponentialMovingAverage(null, 0.9));
        ExponentialMovingAverage ema = new ExponentialMovingAverage(m, 0.9);
        Map<String, Tensor> state = new LinkedHashMap<>(ema.stateDict());
        state.remove("bias");
        state.put("extra", Tensor.of(new double[] {1}));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ema.loadStateDict(state));
        assertTrue(e.getMessage().contains("missing [bias]") && e.getMessage().contains("unexpected [extra]"), e.getMessage());
        Map<String, Tensor> wrong = new LinkedHashMap<>(ema.stateDict());
        wrong.put("weight", Tensor.of(new double[] {1, 2, 3}, 3));
        e = assertThrows(IllegalArgumentException.class, () -> ema.loadStateDict(wrong));
        assertTrue(e.getMessage().contains("'weight' has shape"), e.getMessage());
        double[] before = averagedValues(ema, m);
        assertArrayEquals(valuesAt(0), before, 0, "a refused state dict changes nothing");
        ema.close();
        IllegalStateException closed = assertThrows(IllegalStateException.class, ema::update);
        assertTrue(closed.getMessage().contains("closed"), closed.getMessage());
    }
}
