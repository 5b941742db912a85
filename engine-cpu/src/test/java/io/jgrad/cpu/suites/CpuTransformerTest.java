package io.jgrad.cpu.suites;

import io.jgrad.Device;
import io.jgrad.conformance.TransformerSuite;

class CpuTransformerTest extends TransformerSuite {
    @Override
    protected Device device() {
        return Device.CPU;
    }
}
