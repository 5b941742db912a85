package io.jgrad.cuda.suites;

import io.jgrad.Backends;
import io.jgrad.Device;
import io.jgrad.conformance.DeterminismSuite;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** On CUDA, bit-identical runs need deterministic mode (the scatter-add behind embedding gradients uses atomics). */
class CudaDeterminismTest extends DeterminismSuite {
    @BeforeAll
    static void requireGpuAndDeterminism() {
        GpuOnly.require();
        Backends.setDeterministic(true);
    }

    @AfterAll
    static void restore() {
        Backends.setDeterministic(false);
    }

    @Override
    protected Device device() {
        return Device.cuda(0);
    }
}
