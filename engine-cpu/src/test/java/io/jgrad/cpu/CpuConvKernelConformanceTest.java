package io.jgrad.cpu;

import io.jgrad.conformance.ConvKernelConformance;
import io.jgrad.spi.Backend;

class CpuConvKernelConformanceTest extends ConvKernelConformance {
    @Override
    protected Backend backend() {
        return CpuKernelSuites.CPU;
    }
}
