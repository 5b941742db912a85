package io.jgrad.cpu.suites;

import io.jgrad.Device;
import io.jgrad.conformance.TensorLifetimeSuite;

class CpuTensorLifetimeTest extends TensorLifetimeSuite {
    @Override
    protected Device device() {
        return Device.CPU;
    }
}
