package io.jgrad.cpu;

import io.jgrad.conformance.FusedKernelConformance;
import io.jgrad.spi.Backend;

class CpuFusedKernelConformanceTest extends FusedKernelConformance {
    @Override
    protected Backend backend() {
        return CpuKernelSuites.CPU;
    }
}
