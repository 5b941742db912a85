package io.jgrad.cpu.suites;

import io.jgrad.Device;
import io.jgrad.conformance.ExponentialMovingAverageSuite;

class CpuExponentialMovingAverageTest extends ExponentialMovingAverageSuite {
    @Override
    protected Device device() {
        return Device.CPU;
    }
}
