package io.jgrad.spi;

import io.jgrad.DType;
import io.jgrad.Device;

/**
 * A block of memory owned by one backend, holding {@link #length()} elements of one dtype.
 * Closing returns the memory to the backend (for a device, to its caching allocator). Closing twice is harmless;
 * using a closed buffer is an error the backend reports.
 */
public interface Buffer extends AutoCloseable {
    DType dtype();

    /** Number of elements. */
    long length();

    Device device();

    boolean isClosed();

    @Override
    void close();
}
