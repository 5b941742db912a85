package io.jgrad.cuda;

import io.jgrad.spi.Availability;
import io.jgrad.spi.Backend;
import io.jgrad.spi.BackendProvider;

/** Registers the CUDA backend ("cuda", preferred over the CPU when a GPU is usable). */
public final class CudaBackendProvider implements BackendProvider {
    @Override
    public String name() {
        return "cuda";
    }

    @Override
    public int priority() {
        return 100;
    }

    /** Probed once per process; never throws. */
    @Override
    public Availability availability() {
        return CudaProbe.availability();
    }

    @Override
    public Backend create(int index) {
        return new CudaBackend(index);
    }
}
