package io.jgrad.cpu.suites;

import io.jgrad.Device;
import io.jgrad.conformance.OpParitySuite;

/** Runs {@link OpParitySuite} on the CPU backend. */
class CpuOpParityTest extends OpParitySuite {
    @Override
    protected Device device() {
        return Device.CPU;
    }
}
