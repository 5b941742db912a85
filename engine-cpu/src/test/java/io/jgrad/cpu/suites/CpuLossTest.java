package io.jgrad.cpu.suites;

import io.jgrad.Device;
import io.jgrad.conformance.LossSuite;

class CpuLossTest extends LossSuite {
    @Override
    protected Device device() {
        return Device.CPU;
    }
}
