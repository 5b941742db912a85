package io.jgrad.cuda;

import static jcuda.driver.JCudaDriver.cuMemAlloc;
import static jcuda.driver.JCudaDriver.cuMemFree;

import io.jgrad.spi.MemoryStats;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import jcuda.driver.CUresult;

/**
 * Device memory with a cache, so that steady-state training makes no cuMemAlloc or cuMemFree calls. Requests are
 * rounded up to size classes (multiples of 512 B up to 1 MiB, then four classes per power of two, wasting at most
 * a quarter) and a freed block waits in its class's free list for the next request of that class.
 * <p>
 * Reuse needs no synchronisation: all work runs on one stream, so a kernel that gets a reused block is ordered
 * after every kernel that used it before. Thread-safe.
 */
final class CachingAllocator {
    static final long SMALL_LIMIT = 1L << 20;
    static final long SMALL_QUANTUM = 512;

    /** A device allocation. {@code size} is the rounded size that the statistics count. */
    static final class Block {
        final DevicePointer pointer;
        final long address;
        final long size;

        Block(DevicePointer pointer, long size) {
            this.pointer = pointer;
            this.address = pointer.address();
            this.size = size;
        }
    }

    private static final Block EMPTY = new Block(new DevicePointer(), 0);

    private final String device;
    private final Runnable synchronizeDevice;
    private final Map<Long, ArrayDeque<Block>> free = new HashMap<>();
    private long bytesInUse;
    private long bytesCached;
    private long peakBytesInUse;
    private long deviceAllocations;
    private boolean closed;

    /** {@code synchronizeDevice} must wait for all queued work before cached memory goes back to the driver. */
    CachingAllocator(String device, Runnable synchronizeDevice) {
        this.device = device;
        this.synchronizeDevice = synchronizeDevice;
    }

    static long sizeClass(long bytes) {
        if (bytes <= 0) return 0;
        if (bytes <= SMALL_LIMIT) return (bytes + SMALL_QUANTUM - 1) / SMALL_QUANTUM * SMALL_QUANTUM;
        long quantum = Long.highestOneBit(bytes - 1) / 4;
        return (bytes + quantum - 1) / quantum * quantum;
    }

    /** A block of at least {@code bytes}; the caller's context must be current. */
    Block allocate(long bytes) {
        long size = sizeClass(bytes);
        if (size == 0) return EMPTY;
        synchronized (this) {
            if (closed) throw new IllegalStateException("the " + device + " backend is closed");
            ArrayDeque<Block> list = free.get(size);
            Block block = list == null ? null : list.pollLast();
            if (block != null) {
                bytesCached -= size;
            } else {
                block = allocateOnDevice(bytes, size);
            }
            bytesInUse += size;
            peakBytesInUse = Math.max(peakBytesInUse, bytesInUse);
            return block;
        }
    }

    private Block allocateOnDevice(long requested, long size) {
        DevicePointer p = new DevicePointer();
        int r = cuMemAlloc(p, size);
        if (r == CUresult.CUDA_ERROR_OUT_OF_MEMORY) {
            long cached = bytesCached;
            emptyCache(); // the cached blocks may be in the wrong size classes; give them back and try once more
            r = cuMemAlloc(p, size);
            if (r == CUresult.CUDA_ERROR_OUT_OF_MEMORY) {
                throw new CudaOutOfMemoryException(String.format(
                        "CUDA out of memory on %s: tried to allocate %d bytes (%s); %d bytes (%s) in use by jgrad, %d bytes (%s) "
                                + "were cached and have been returned to the driver. Free tensors sooner, use smaller batches, "
                                + "or check what else uses the GPU (nvidia-smi).",
                        device, requested, human(requested), bytesInUse, human(bytesInUse), cached, human(cached)));
            }
        }
        Cuda.check(r, "cuMemAlloc", size + " bytes on " + device);
        deviceAllocations++;
        return new Block(p, size);
    }

    /** Returns a block to its free list. Called by Buffer.close and by the Cleaner thread; makes no CUDA call. */
    synchronized void release(Block block) {
        if (block.size == 0) return;
        bytesInUse -= block.size;
        if (closed) return; // the context that owned the memory is gone
        free.computeIfAbsent(block.size, s -> new ArrayDeque<>()).addLast(block);
        bytesCached += block.size;
    }

    /** Gives every cached block back to the driver, after the stream has finished with them. */
    synchronized void emptyCache() {
        if (bytesCached == 0) return;
        synchronizeDevice.run();
        for (ArrayDeque<Block> list : free.values()) {
            for (Block b : list) Cuda.check(cuMemFree(b.pointer), "cuMemFree", b.size + " bytes on " + device);
        }
        free.clear();
        bytesCached = 0;
    }

    synchronized void resetPeak() {
        peakBytesInUse = bytesInUse;
    }

    synchronized MemoryStats stats() {
        return new MemoryStats(bytesInUse, bytesCached, peakBytesInUse, deviceAllocations);
    }

    /** Frees the cache and refuses further allocations; blocks still in use go away with the context. */
    synchronized void close() {
        if (closed) return;
        emptyCache();
        closed = true;
    }

    static String human(long bytes) {
        if (bytes < 1024) return bytes + " B";
        if (bytes < 1L << 20) return String.format("%.1f KiB", bytes / 1024.0);
        if (bytes < 1L << 30) return String.format("%.1f MiB", bytes / (double) (1L << 20));
        return String.format("%.2f GiB", bytes / (double) (1L << 30));
    }
}
