package io.jgrad.cpu;

import io.jgrad.conformance.LayerNormKernelConformance;
import io.jgrad.spi.Backend;

class CpuLayerNormKernelConformanceTest extends LayerNormKernelConformance {
    @Override
    protected Backend backend() {
        return CpuKernelSuites.CPU;
    }
}
