package io.jgrad.cpu.suites;

import io.jgrad.Device;
import io.jgrad.conformance.NnLayersSuite;

class CpuNnLayersTest extends NnLayersSuite {
    @Override
    protected Device device() {
        return Device.CPU;
    }
}
