package io.jgrad.cpu;

import io.jgrad.spi.Availability;
import io.jgrad.spi.Backend;
import io.jgrad.spi.BackendProvider;

/** Registers the pure-Java backend under the name "cpu". It runs everywhere, so it has the lowest priority. */
public final class CpuBackendProvider implements BackendProvider {
    @Override
    public String name() {
        return "cpu";
    }

    @Override
    public int priority() {
        return 0;
    }

    @Override
    public Availability availability() {
        return Availability.yes("pure Java, " + Parallel.THREADS + " threads, GEMM kernel: " + CpuGemm.kernelName());
    }

    @Override
    public Backend create(int index) {
        if (index != 0) throw new IllegalArgumentException("the cpu backend has only device index 0, got " + index);
        return new CpuBackend();
    }
}
