package io.jgrad.cpu;

import io.jgrad.conformance.PoolKernelConformance;
import io.jgrad.spi.Backend;

class CpuPoolKernelConformanceTest extends PoolKernelConformance {
    @Override
    protected Backend backend() {
        return CpuKernelSuites.CPU;
    }
}
