package io.jgrad.cpu.suites;

import io.jgrad.Device;
import io.jgrad.conformance.AttentionSuite;

class CpuAttentionTest extends AttentionSuite {
    @Override
    protected Device device() {
        return Device.CPU;
    }
}
