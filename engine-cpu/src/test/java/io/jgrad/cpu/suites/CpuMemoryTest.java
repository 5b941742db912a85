package io.jgrad.cpu.suites;

import io.jgrad.Device;
import io.jgrad.conformance.MemorySuite;

/** Runs {@link MemorySuite} on the CPU backend, where the heap is what it measures. */
class CpuMemoryTest extends MemorySuite {
    @Override
    protected Device device() {
        return Device.CPU;
    }
}
