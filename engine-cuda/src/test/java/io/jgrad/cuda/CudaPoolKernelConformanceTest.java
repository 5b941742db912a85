package io.jgrad.cuda;

import io.jgrad.conformance.PoolKernelConformance;
import io.jgrad.spi.Backend;
import org.junit.jupiter.api.BeforeAll;

class CudaPoolKernelConformanceTest extends PoolKernelConformance {
    @BeforeAll
    static void requireGpu() {
        CudaKernelSuites.requireGpu();
    }

    @Override
    protected Backend backend() {
        return CudaKernelSuites.backend();
    }
}
