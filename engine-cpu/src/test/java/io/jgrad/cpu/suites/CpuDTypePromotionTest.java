package io.jgrad.cpu.suites;

import io.jgrad.Device;
import io.jgrad.conformance.DTypePromotionSuite;

/** Runs {@link DTypePromotionSuite} on the CPU backend. */
class CpuDTypePromotionTest extends DTypePromotionSuite {
    @Override
    protected Device device() {
        return Device.CPU;
    }
}
