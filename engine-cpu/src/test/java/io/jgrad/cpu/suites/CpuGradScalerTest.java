package io.jgrad.cpu.suites;

import io.jgrad.Device;
import io.jgrad.conformance.GradScalerSuite;

class CpuGradScalerTest extends GradScalerSuite {
    @Override
    protected Device device() {
        return Device.CPU;
    }
}
