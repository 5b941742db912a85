package io.jgrad.cpu.suites;

import io.jgrad.Device;
import io.jgrad.conformance.AutogradChainSuite;

/** Runs {@link AutogradChainSuite} on the CPU backend. */
class CpuAutogradChainTest extends AutogradChainSuite {
    @Override
    protected Device device() {
        return Device.CPU;
    }
}
