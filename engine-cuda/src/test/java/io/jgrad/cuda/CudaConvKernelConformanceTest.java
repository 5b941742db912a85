package io.jgrad.cuda;

import io.jgrad.conformance.ConvKernelConformance;
import io.jgrad.spi.Backend;
import org.junit.jupiter.api.BeforeAll;

class CudaConvKernelConformanceTest extends ConvKernelConformance {
    @BeforeAll
    static void requireGpu() {
        CudaKernelSuites.requireGpu();
    }

    @Override
    protected Backend backend() {
        return CudaKernelSuites.backend();
    }
}
