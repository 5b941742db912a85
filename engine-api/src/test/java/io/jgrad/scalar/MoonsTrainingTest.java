package io.jgrad.scalar;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MoonsTrainingTest {

    @Test
    void microgradMoonsDemoLearnsTheMoons() {
        MoonsTraining run = MoonsTraining.run(1337, 1337, 100);
        double first = run.loss[0];
        double last = run.loss[99];
        assertTrue(last < 0.25 * first, "loss " + first + " -> " + last);
        // Averaged over ten steps, the loss falls from the first decile to the last.
        assertTrue(mean(run.loss, 90, 100) < mean(run.loss, 0, 10), "loss should decrease");
        assertTrue(run.accuracy[99] >= 0.98, "final training accuracy " + run.accuracy[99]);
    }

    private static double mean(double[] a, int from, int to) {
        double s = 0;
        for (int i = from; i < to; i++) s += a[i];
        return s / (to - from);
    }
}
