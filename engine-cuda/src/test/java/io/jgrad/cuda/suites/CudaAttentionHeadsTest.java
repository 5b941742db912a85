package io.jgrad.cuda.suites;

import io.jgrad.Device;
import io.jgrad.conformance.AttentionHeadsSuite;

class CudaAttentionHeadsTest extends AttentionHeadsSuite {
    @org.junit.jupiter.api.BeforeAll
    static void requireGpu() {
        GpuOnly.require();
    }

    @Override
    protected Device device() {
        return Device.cuda(0);
    }
}
