package io.jgrad.cpu.suites;

import io.jgrad.Device;
import io.jgrad.conformance.TensorInPlaceSuite;

/** Runs {@link TensorInPlaceSuite} on the CPU backend. */
class CpuTensorInPlaceTest extends TensorInPlaceSuite {
    @Override
    protected Device device() {
        return Device.CPU;
    }
}
