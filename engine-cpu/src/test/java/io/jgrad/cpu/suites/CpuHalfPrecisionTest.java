package io.jgrad.cpu.suites;

import io.jgrad.Device;
import io.jgrad.conformance.HalfPrecisionSuite;

class CpuHalfPrecisionTest extends HalfPrecisionSuite {
    @Override
    protected Device device() {
        return Device.CPU;
    }
}
