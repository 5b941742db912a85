package io.jgrad.cpu;

import io.jgrad.conformance.IndexingKernelConformance;
import io.jgrad.spi.Backend;

class CpuIndexingKernelConformanceTest extends IndexingKernelConformance {
    @Override
    protected Backend backend() {
        return CpuKernelSuites.CPU;
    }
}
