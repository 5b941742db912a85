package io.jgrad.cpu;

import io.jgrad.conformance.ScanSortKernelConformance;
import io.jgrad.spi.Backend;

class CpuScanSortKernelConformanceTest extends ScanSortKernelConformance {
    @Override
    protected Backend backend() {
        return CpuKernelSuites.CPU;
    }
}
