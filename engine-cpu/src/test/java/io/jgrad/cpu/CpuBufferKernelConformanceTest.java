package io.jgrad.cpu;

import io.jgrad.conformance.BufferKernelConformance;
import io.jgrad.spi.Backend;

class CpuBufferKernelConformanceTest extends BufferKernelConformance {
    @Override
    protected Backend backend() {
        return CpuKernelSuites.CPU;
    }
}
