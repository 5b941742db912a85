package io.jgrad.cpu.suites;

import io.jgrad.Device;
import io.jgrad.conformance.NnInitSuite;

class CpuNnInitTest extends NnInitSuite {
    @Override
    protected Device device() {
        return Device.CPU;
    }
}
