package io.jgrad.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgrad.Backends;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The GPT step benchmark must time real training: repeating its step on its fixed batch lowers the loss. */
class GptStepBenchmarkTest {

    @AfterEach
    void resetDevice() {
        Backends.setDefaultDevice(null);
    }

    @Test
    void gptStepLowersTheLoss() {
        GptStepBenchmark b = new GptStepBenchmark();
        b.device = "cpu";
        b.setUp();
        double first = b.step();
        double last = first;
        for (int i = 0; i < 30; i++) last = b.step();
        // random targets over 27 classes start near ln 27 = 3.30
        assertTrue(Math.abs(first - Math.log(27)) < 0.3, "initial loss " + first);
        assertTrue(last < first - 0.1, "loss " + first + " -> " + last);
    }
}
