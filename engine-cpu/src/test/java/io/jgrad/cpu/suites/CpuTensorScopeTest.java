package io.jgrad.cpu.suites;

import io.jgrad.Device;
import io.jgrad.conformance.TensorScopeSuite;

/** Runs {@link TensorScopeSuite} on the CPU backend. */
class CpuTensorScopeTest extends TensorScopeSuite {
    @Override
    protected Device device() {
        return Device.CPU;
    }
}
