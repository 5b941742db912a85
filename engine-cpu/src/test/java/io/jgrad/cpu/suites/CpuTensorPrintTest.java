package io.jgrad.cpu.suites;

import io.jgrad.Device;
import io.jgrad.conformance.TensorPrintSuite;

/** Runs {@link TensorPrintSuite} on the CPU backend. */
class CpuTensorPrintTest extends TensorPrintSuite {
    @Override
    protected Device device() {
        return Device.CPU;
    }
}
