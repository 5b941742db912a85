package io.jgrad.cpu.suites;

import io.jgrad.Device;
import io.jgrad.conformance.TensorViewSuite;

/** Runs {@link TensorViewSuite} on the CPU backend. */
class CpuTensorViewTest extends TensorViewSuite {
    @Override
    protected Device device() {
        return Device.CPU;
    }
}
