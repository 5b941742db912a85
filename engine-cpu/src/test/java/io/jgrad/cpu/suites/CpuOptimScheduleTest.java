package io.jgrad.cpu.suites;

import io.jgrad.Device;
import io.jgrad.conformance.OptimScheduleSuite;

class CpuOptimScheduleTest extends OptimScheduleSuite {
    @Override
    protected Device device() {
        return Device.CPU;
    }
}
