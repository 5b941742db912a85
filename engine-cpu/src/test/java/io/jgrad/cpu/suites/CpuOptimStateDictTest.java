package io.jgrad.cpu.suites;

import io.jgrad.Device;
import io.jgrad.conformance.OptimStateDictSuite;

class CpuOptimStateDictTest extends OptimStateDictSuite {
    @Override
    protected Device device() {
        return Device.CPU;
    }
}
