package io.jgrad.cpu.suites;

import io.jgrad.Device;
import io.jgrad.conformance.PoolingSuite;

class CpuPoolingTest extends PoolingSuite {
    @Override
    protected Device device() {
        return Device.CPU;
    }
}
