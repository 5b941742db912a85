package io.jgrad.cpu;

import io.jgrad.conformance.ElementwiseKernelConformance;
import io.jgrad.spi.Backend;

class CpuElementwiseKernelConformanceTest extends ElementwiseKernelConformance {
    @Override
    protected Backend backend() {
        return CpuKernelSuites.CPU;
    }
}
