package io.jgrad.cpu.suites;

import io.jgrad.Device;
import io.jgrad.conformance.ShapeIndexingSuite;

class CpuShapeIndexingTest extends ShapeIndexingSuite {
    @Override
    protected Device device() {
        return Device.CPU;
    }
}
