package io.jgrad.cpu.suites;

import io.jgrad.Device;
import io.jgrad.conformance.AutocastSuite;

class CpuAutocastTest extends AutocastSuite {
    @Override
    protected Device device() {
        return Device.CPU;
    }
}
