package io.jgrad.cuda;

import io.jgrad.Backends;
import io.jgrad.Device;
import io.jgrad.conformance.DTypeKernelSuite;
import io.jgrad.spi.Backend;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;

/** The dtype kernel contract (int32, bool, integer arithmetic), run on the GPU. */
class CudaDTypeKernelTest extends DTypeKernelSuite {
    @BeforeAll
    static void requireGpu() {
        Assumptions.assumeTrue(CudaProbe.availability().available(), () -> "no usable GPU: " + CudaProbe.availability().reason());
    }

    @Override
    protected Backend backend() {
        return Backends.get(Device.cuda());
    }
}
