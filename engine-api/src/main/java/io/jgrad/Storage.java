package io.jgrad;

import io.jgrad.spi.Backend;
import io.jgrad.spi.Buffer;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The memory behind a tensor and all its views. Views share one storage, so the version counter (bumped by every
 * in-place write) and the reference count (the buffer is released when the last tensor using it closes) are shared.
 */
final class Storage {
    private static final AtomicLong SERIALS = new AtomicLong();

    final Backend backend;
    final Buffer buffer;
    /** Creation order: lets backward tell a gradient made by the rule it just ran from any older tensor. */
    final long serial = SERIALS.getAndIncrement();
    private int refs;
    int version;

    Storage(Backend backend, Buffer buffer) {
        this.backend = backend;
        this.buffer = buffer;
    }

    /** The serial the next storage will get. */
    static long nextSerial() {
        return SERIALS.get();
    }

    /** True while exactly one open tensor views this storage. */
    synchronized boolean soleView() {
        return refs == 1;
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
