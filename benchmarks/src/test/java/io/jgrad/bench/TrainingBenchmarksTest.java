package io.jgrad.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgrad.Backends;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The training-step benchmarks must time real training, not a broken graph: each one's loss must fall when its step
 * is repeated on its fixed batch, and the scalar demo must fit the moons as micrograd's does.
 */
class TrainingBenchmarksTest {

    @AfterEach
    void resetDevice() {
        Backends.setDefaultDevice(null);
    }

    @Test
    void mnistStepLearnsItsBatch() {
        MnistMlpStepBenchmark b = new MnistMlpStepBenchmark();
        b.device = "cpu";
        b.setUp();
        double first = b.step();
        double last = first;
        for (int i = 0; i < 20; i++) last = b.step();
        // Random labels over 10 classes start near ln 10 = 2.30; Adam memorises a fixed batch quickly.
        assertTrue(Math.abs(first - Math.log(10)) < 0.3, "initial loss " + first);
        assertTrue(last < first - 0.5, "loss " + first + " -> " + last);
    }

    @Test
    void microgradStepLowersTheHingeLoss() {
        MicrogradMlpStepBenchmark b = new MicrogradMlpStepBenchmark();
        b.device = "cpu";
        b.setUp();
        double first = b.step();
        double last = first;
        for (int i = 0; i < 50; i++) last = b.step();
        assertTrue(Double.isFinite(last) && last < 0.8 * first, "loss " + first + " -> " + last);
    }

    @Test
    void namesStepLowersTheLoss() {
        NamesMlpStepBenchmark b = new NamesMlpStepBenchmark();
        b.device = "cpu";
        b.setUp();
        double first = b.step();
        double last = first;
        for (int i = 0; i < 30; i++) last = b.step();
        assertTrue(Double.isFinite(first) && last < first - 0.3, "loss " + first + " -> " + last);
    }

    @Test
    void scalarDemoFitsTheMoons() {
        double finalLoss = new ScalarMoonsBenchmark().demo();
        // micrograd's demo ends near 0.01 with every point classified; a broken gradient stays near 1.
        assertTrue(finalLoss < 0.1, "final loss " + finalLoss);
    }
}
