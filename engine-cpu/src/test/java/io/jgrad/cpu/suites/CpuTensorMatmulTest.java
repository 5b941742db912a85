package io.jgrad.cpu.suites;

import io.jgrad.Device;
import io.jgrad.conformance.TensorMatmulSuite;

/** Runs {@link TensorMatmulSuite} on the CPU backend. */
class CpuTensorMatmulTest extends TensorMatmulSuite {
    @Override
    protected Device device() {
        return Device.CPU;
    }
}
