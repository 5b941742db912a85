package io.jgrad.cpu.suites;

import io.jgrad.Device;
import io.jgrad.conformance.CheckpointSuite;

class CpuCheckpointTest extends CheckpointSuite {
    @Override
    protected Device device() {
        return Device.CPU;
    }
}
