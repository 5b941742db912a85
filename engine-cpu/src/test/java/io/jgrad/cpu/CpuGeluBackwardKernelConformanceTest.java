package io.jgrad.cpu;

import io.jgrad.conformance.GeluBackwardKernelConformance;
import io.jgrad.spi.Backend;

class CpuGeluBackwardKernelConformanceTest extends GeluBackwardKernelConformance {
    @Override
    protected Backend backend() {
        return CpuKernelSuites.CPU;
    }
}
