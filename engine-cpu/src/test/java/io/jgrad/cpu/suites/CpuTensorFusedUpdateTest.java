package io.jgrad.cpu.suites;

import io.jgrad.Device;
import io.jgrad.conformance.TensorFusedUpdateSuite;

/** Runs {@link TensorFusedUpdateSuite} on the CPU backend. */
class CpuTensorFusedUpdateTest extends TensorFusedUpdateSuite {
    @Override
    protected Device device() {
        return Device.CPU;
    }
}
