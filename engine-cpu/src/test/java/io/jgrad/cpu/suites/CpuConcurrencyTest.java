package io.jgrad.cpu.suites;

import io.jgrad.Device;
import io.jgrad.conformance.ConcurrencySuite;

/** Runs {@link ConcurrencySuite} on the CPU backend. */
class CpuConcurrencyTest extends ConcurrencySuite {
    @Override
    protected Device device() {
        return Device.CPU;
    }
}
