package io.jgrad.cpu.suites;

import io.jgrad.Device;
import io.jgrad.conformance.AttentionHeadsSuite;

class CpuAttentionHeadsTest extends AttentionHeadsSuite {
    @Override
    protected Device device() {
        return Device.CPU;
    }
}
