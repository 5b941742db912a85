package io.jgrad.cpu;

import io.jgrad.conformance.GemmKernelConformance;
import io.jgrad.spi.Backend;

class CpuGemmKernelConformanceTest extends GemmKernelConformance {
    @Override
    protected Backend backend() {
        return CpuKernelSuites.CPU;
    }
}
