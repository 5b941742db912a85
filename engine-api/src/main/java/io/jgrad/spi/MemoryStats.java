package io.jgrad.spi;

/**
 * A backend's memory accounting in bytes. {@code deviceAllocations} counts the calls that took memory from the
 * device (cuMemAlloc) since the backend started, so a steady state shows it constant. The CPU backend counts the
 * heap arrays it hands out (buffers and kernels' scratch), its pool as the cache, and the arrays it had to make
 * anew as device allocations.
 */
public record MemoryStats(long bytesInUse, long bytesCached, long peakBytesInUse, long deviceAllocations) {
    public static final MemoryStats NONE = new MemoryStats(0, 0, 0, 0);
}
