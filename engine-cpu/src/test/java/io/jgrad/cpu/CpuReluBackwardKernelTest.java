package io.jgrad.cpu;

import io.jgrad.conformance.ReluBackwardKernelSuite;
import io.jgrad.spi.Backend;

/** Runs {@link ReluBackwardKernelSuite} on the CPU backend. */
class CpuReluBackwardKernelTest extends ReluBackwardKernelSuite {
    private static final CpuBackend CPU = new CpuBackend();

    @Override
    protected Backend backend() {
        return CPU;
    }
}
