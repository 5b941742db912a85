package io.jgrad.cpu.suites;

import io.jgrad.Device;
import io.jgrad.conformance.NnBatchNormSuite;

class CpuNnBatchNormTest extends NnBatchNormSuite {
    @Override
    protected Device device() {
        return Device.CPU;
    }
}
