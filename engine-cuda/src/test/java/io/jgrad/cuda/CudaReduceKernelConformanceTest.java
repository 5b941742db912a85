package io.jgrad.cuda;

import io.jgrad.conformance.ReduceKernelConformance;
import io.jgrad.spi.Backend;
import org.junit.jupiter.api.BeforeAll;

class CudaReduceKernelConformanceTest extends ReduceKernelConformance {
    @BeforeAll
    static void requireGpu() {
        CudaKernelSuites.requireGpu();
    }

    @Override
    protected Backend backend() {
        return CudaKernelSuites.backend();
    }
}
