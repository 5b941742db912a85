package io.jgrad.cuda;

import io.jgrad.conformance.ElementwiseKernelConformance;
import io.jgrad.spi.Backend;
import org.junit.jupiter.api.BeforeAll;

class CudaElementwiseKernelConformanceTest extends ElementwiseKernelConformance {
    @BeforeAll
    static void requireGpu() {
        CudaKernelSuites.requireGpu();
    }

    @Override
    protected Backend backend() {
        return CudaKernelSuites.backend();
    }
}
