package io.jgrad.cpu.suites;

import io.jgrad.Device;
import io.jgrad.conformance.OptimGradientSuite;

class CpuOptimGradientTest extends OptimGradientSuite {
    @Override
    protected Device device() {
        return Device.CPU;
    }
}
