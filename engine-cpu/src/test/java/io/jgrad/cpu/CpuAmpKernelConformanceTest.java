package io.jgrad.cpu;

import io.jgrad.conformance.AmpKernelConformance;
import io.jgrad.spi.Backend;

class CpuAmpKernelConformanceTest extends AmpKernelConformance {
    @Override
    protected Backend backend() {
        return CpuKernelSuites.CPU;
    }
}
