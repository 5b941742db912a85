package io.jgrad;

import io.jgrad.spi.Backend;
import io.jgrad.spi.Buffer;

/**
 * The memory behind a tensor and all its views. Views share one storage, so the version counter (bumped by every
 * in-place write) and the reference count (the buffer is released when the last tensor using it closes) are shared.
 */
final class Storage {
    final Backend backend;
    final Buffer buffer;
    private int refs;
    int version;

    Storage(Backend backend, Buffer buffer) {
        this.backend = backend;
        this.buffer = buffer;
    }

    synchronized void retain() {
        refs++;
    }

    synchronized void release() {
        if (--refs == 0) buffer.close();
    }

    boolean isFreed() {
        return buffer.isClosed();
    }
}
