package io.jgrad.spi;

/** A backend's memory accounting in bytes. Heap-backed backends report zeros. */
public record MemoryStats(long bytesInUse, long bytesCached, long peakBytesInUse, long deviceAllocations) {
    public static final MemoryStats NONE = new MemoryStats(0, 0, 0, 0);
}
