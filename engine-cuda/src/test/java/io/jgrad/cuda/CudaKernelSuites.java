package io.jgrad.cuda;

import io.jgrad.Backends;
import io.jgrad.Device;
import io.jgrad.spi.Backend;
import org.junit.jupiter.api.Assumptions;

/** What the kernel conformance suites ({@code Cuda*KernelConformanceTest}, one per SPI family) share: the GPU. */
final class CudaKernelSuites {
    private CudaKernelSuites() {
    }

    /** Skips the suite, with the probe's reason, where no GPU is usable. */
    static void requireGpu() {
        Assumptions.assumeTrue(CudaProbe.availability().available(), () -> "no usable GPU: " + CudaProbe.availability().reason());
    }

    static Backend backend() {
        return Backends.get(Device.cuda());
    }
}
