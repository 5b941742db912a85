package io.jgrad.cuda;

import io.jgrad.conformance.AmpKernelConformance;
import io.jgrad.spi.Backend;
import org.junit.jupiter.api.BeforeAll;

class CudaAmpKernelConformanceTest extends AmpKernelConformance {
    @BeforeAll
    static void requireGpu() {
        CudaKernelSuites.requireGpu();
    }

    @Override
    protected Backend backend() {
        return CudaKernelSuites.backend();
    }
}
