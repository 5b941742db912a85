package io.jgrad.cpu;

import io.jgrad.conformance.KernelConformance;
import io.jgrad.spi.Backend;

/** Runs the backend-agnostic kernel suite on the cpu backend. */
class CpuKernelConformanceTest extends KernelConformance {
    private static final CpuBackend CPU = new CpuBackend();

    @Override
    protected Backend backend() {
        return CPU;
    }
}
