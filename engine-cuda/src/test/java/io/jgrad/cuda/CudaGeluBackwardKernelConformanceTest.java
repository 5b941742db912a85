package io.jgrad.cuda;

import io.jgrad.conformance.GeluBackwardKernelConformance;
import io.jgrad.spi.Backend;
import org.junit.jupiter.api.BeforeAll;

class CudaGeluBackwardKernelConformanceTest extends GeluBackwardKernelConformance {
    @BeforeAll
    static void requireGpu() {
        CudaKernelSuites.requireGpu();
    }

    @Override
    protected Backend backend() {
        return CudaKernelSuites.backend();
    }
}
