package io.jgrad.cpu.suites;

import io.jgrad.Device;
import io.jgrad.conformance.DTypeSuite;

/** Runs {@link DTypeSuite} on the CPU backend. */
class CpuDTypeTest extends DTypeSuite {
    @Override
    protected Device device() {
        return Device.CPU;
    }
}
