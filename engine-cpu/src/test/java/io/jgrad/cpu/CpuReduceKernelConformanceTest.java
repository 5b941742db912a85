package io.jgrad.cpu;

import io.jgrad.conformance.ReduceKernelConformance;
import io.jgrad.spi.Backend;

class CpuReduceKernelConformanceTest extends ReduceKernelConformance {
    @Override
    protected Backend backend() {
        return CpuKernelSuites.CPU;
    }
}
