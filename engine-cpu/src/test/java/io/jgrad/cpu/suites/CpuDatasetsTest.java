package io.jgrad.cpu.suites;

import io.jgrad.Device;
import io.jgrad.conformance.DatasetsSuite;

class CpuDatasetsTest extends DatasetsSuite {
    @Override
    protected Device device() {
        return Device.CPU;
    }
}
