package io.jgrad.cpu.suites;

import io.jgrad.Device;
import io.jgrad.conformance.AutogradSuite;

/** Runs {@link AutogradSuite} on the CPU backend. */
class CpuAutogradTest extends AutogradSuite {
    @Override
    protected Device device() {
        return Device.CPU;
    }
}
