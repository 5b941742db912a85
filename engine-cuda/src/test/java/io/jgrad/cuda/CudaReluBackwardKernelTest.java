package io.jgrad.cuda;

import io.jgrad.Backends;
import io.jgrad.Device;
import io.jgrad.conformance.ReluBackwardKernelSuite;
import io.jgrad.spi.Backend;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;

/** Runs {@link ReluBackwardKernelSuite} on the GPU. */
class CudaReluBackwardKernelTest extends ReluBackwardKernelSuite {
    @BeforeAll
    static void requireGpu() {
        Assumptions.assumeTrue(CudaProbe.availability().available(), () -> "no usable GPU: " + CudaProbe.availability().reason());
    }

    @Override
    protected Backend backend() {
        return Backends.get(Device.cuda());
    }
}
