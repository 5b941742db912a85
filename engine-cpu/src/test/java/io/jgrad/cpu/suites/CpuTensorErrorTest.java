package io.jgrad.cpu.suites;

import io.jgrad.Device;
import io.jgrad.conformance.TensorErrorSuite;

/** Runs {@link TensorErrorSuite} on the CPU backend. */
class CpuTensorErrorTest extends TensorErrorSuite {
    @Override
    protected Device device() {
        return Device.CPU;
    }
}
