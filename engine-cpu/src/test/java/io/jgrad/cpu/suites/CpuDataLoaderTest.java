package io.jgrad.cpu.suites;

import io.jgrad.Device;
import io.jgrad.conformance.DataLoaderSuite;

class CpuDataLoaderTest extends DataLoaderSuite {
    @Override
    protected Device device() {
        return Device.CPU;
    }
}
