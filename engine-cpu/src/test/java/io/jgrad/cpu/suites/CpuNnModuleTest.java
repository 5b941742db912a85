package io.jgrad.cpu.suites;

import io.jgrad.Device;
import io.jgrad.conformance.NnModuleSuite;

class CpuNnModuleTest extends NnModuleSuite {
    @Override
    protected Device device() {
        return Device.CPU;
    }
}
