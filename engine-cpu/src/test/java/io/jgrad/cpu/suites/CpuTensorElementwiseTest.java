package io.jgrad.cpu.suites;

import io.jgrad.Device;
import io.jgrad.conformance.TensorElementwiseSuite;

/** Runs {@link TensorElementwiseSuite} on the CPU backend. */
class CpuTensorElementwiseTest extends TensorElementwiseSuite {
    @Override
    protected Device device() {
        return Device.CPU;
    }
}
