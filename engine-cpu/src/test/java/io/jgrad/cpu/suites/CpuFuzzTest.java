package io.jgrad.cpu.suites;

import io.jgrad.Device;
import io.jgrad.conformance.FuzzSuite;

/** Runs {@link FuzzSuite} on the CPU backend: float32 on the CPU against float64 on the CPU. */
class CpuFuzzTest extends FuzzSuite {
    @Override
    protected Device device() {
        return Device.CPU;
    }
}
