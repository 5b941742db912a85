package io.jgrad.cuda;

import io.jgrad.conformance.AttentionKernelSuite;
import io.jgrad.spi.Backend;
import org.junit.jupiter.api.BeforeAll;

/** Runs {@link AttentionKernelSuite} on the GPU: the kernels of attention.cu against the SPI's default composition. */
class CudaAttentionKernelTest extends AttentionKernelSuite {
    @BeforeAll
    static void requireGpu() {
        CudaKernelSuites.requireGpu();
    }

    @Override
    protected Backend backend() {
        return CudaKernelSuites.backend();
    }
}
