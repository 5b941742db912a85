package io.jgrad.cpu.suites;

import io.jgrad.Device;
import io.jgrad.conformance.AutogradExtensionSuite;

class CpuAutogradExtensionTest extends AutogradExtensionSuite {
    @Override
    protected Device device() {
        return Device.CPU;
    }
}
