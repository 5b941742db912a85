package io.jgrad.cpu;

import io.jgrad.conformance.DTypeKernelSuite;
import io.jgrad.spi.Backend;

/** Runs the dtype kernel suite on the cpu backend. */
class CpuDTypeKernelTest extends DTypeKernelSuite {
    private static final CpuBackend CPU = new CpuBackend();

    @Override
    protected Backend backend() {
        return CPU;
    }
}
