package io.jgrad.cpu.suites;

import io.jgrad.Device;
import io.jgrad.conformance.TensorReductionSuite;

/** Runs {@link TensorReductionSuite} on the CPU backend. */
class CpuTensorReductionTest extends TensorReductionSuite {
    @Override
    protected Device device() {
        return Device.CPU;
    }
}
