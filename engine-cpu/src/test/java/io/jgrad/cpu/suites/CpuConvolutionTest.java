package io.jgrad.cpu.suites;

import io.jgrad.Device;
import io.jgrad.conformance.ConvolutionSuite;

class CpuConvolutionTest extends ConvolutionSuite {
    @Override
    protected Device device() {
        return Device.CPU;
    }
}
