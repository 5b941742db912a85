package io.jgrad.cpu.suites;

import io.jgrad.Device;
import io.jgrad.conformance.TensorFactorySuite;

/** Runs {@link TensorFactorySuite} on the CPU backend. */
class CpuTensorFactoryTest extends TensorFactorySuite {
    @Override
    protected Device device() {
        return Device.CPU;
    }
}
