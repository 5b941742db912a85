package io.jgrad.cpu.suites;

import io.jgrad.Device;
import io.jgrad.conformance.LayerNormSuite;

class CpuLayerNormTest extends LayerNormSuite {
    @Override
    protected Device device() {
        return Device.CPU;
    }
}
