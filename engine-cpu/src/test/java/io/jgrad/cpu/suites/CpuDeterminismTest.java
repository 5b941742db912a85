package io.jgrad.cpu.suites;

import io.jgrad.Device;
import io.jgrad.conformance.DeterminismSuite;

/** Runs {@link DeterminismSuite} on the CPU backend. */
class CpuDeterminismTest extends DeterminismSuite {
    @Override
    protected Device device() {
        return Device.CPU;
    }
}
