package io.jgrad.cpu;

import io.jgrad.conformance.AttentionKernelSuite;
import io.jgrad.spi.Backend;

/** Runs {@link AttentionKernelSuite} on the CPU backend: its tiled attention kernel against the SPI's default. */
class CpuAttentionKernelTest extends AttentionKernelSuite {
    @Override
    protected Backend backend() {
        return CpuKernelSuites.CPU;
    }
}
