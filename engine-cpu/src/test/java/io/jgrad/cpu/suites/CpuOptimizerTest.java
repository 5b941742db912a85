package io.jgrad.cpu.suites;

import io.jgrad.Device;
import io.jgrad.conformance.OptimizerSuite;

class CpuOptimizerTest extends OptimizerSuite {
    @Override
    protected Device device() {
        return Device.CPU;
    }
}
