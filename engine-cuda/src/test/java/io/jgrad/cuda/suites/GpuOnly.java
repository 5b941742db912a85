package io.jgrad.cuda.suites;

import io.jgrad.Backends;
import io.jgrad.spi.Availability;
import org.junit.jupiter.api.Assumptions;

/** The shared conformance suites run here on cuda:0, and skip with the exact reason where CUDA cannot run. */
final class GpuOnly {
    private GpuOnly() {
    }

    static void require() {
        Availability a = Backends.availability("cuda");
        Assumptions.assumeTrue(a.available(), () -> "CUDA is not available: " + a.reason());
    }
}
