package io.jgrad.cuda;

import io.jgrad.DType;
import io.jgrad.Device;
import io.jgrad.spi.Buffer;
import java.lang.ref.Cleaner;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Device memory for {@code length} elements of one dtype. {@link #close()} returns the block to the caching
 * allocator; a buffer that becomes unreachable without being closed is returned by a Cleaner, and counted, since
 * that points at a leak in the caller.
 */
final class CudaBuffer implements Buffer {
    private static final Cleaner CLEANER = Cleaner.create();

    final CudaBackend backend;
    private final DType dtype;
    private final long length;
    private final Lease lease;
    private final Cleaner.Cleanable cleanable;

    CudaBuffer(CudaBackend backend, DType dtype, long length, CachingAllocator allocator, AtomicLong reclaimed) {
        this.backend = backend;
        this.dtype = dtype;
        this.length = length;
        this.lease = new Lease(allocator, allocator.allocate(length * dtype.byteSize()), reclaimed);
        this.cleanable = CLEANER.register(this, lease);
    }

    /**
     * The Cleaner's action. It holds only what returning the block needs, never the buffer, or the buffer could
     * never become unreachable.
     */
    private static final class Lease implements Runnable {
        final CachingAllocator allocator;
        final CachingAllocator.Block block;
        final AtomicLong reclaimedCounter;
        volatile boolean closed;
        volatile boolean closedExplicitly;

        Lease(CachingAllocator allocator, CachingAllocator.Block block, AtomicLong reclaimedCounter) {
            this.allocator = allocator;
            this.block = block;
            this.reclaimedCounter = reclaimedCounter;
        }

        @Override
        public void run() { // runs at most once: from close() or from the Cleaner thread
            closed = true;
            if (!closedExplicitly) reclaimedCounter.incrementAndGet();
            allocator.release(block);
        }
    }

    /** The device address of element 0. */
    long address() {
        if (lease.closed) throw new IllegalStateException("this " + describe() + " is closed");
        return lease.block.address;
    }

    DevicePointer pointer() {
        if (lease.closed) throw new IllegalStateException("this " + describe() + " is closed");
        return lease.block.pointer;
    }

    String describe() {
        return backend.device() + " buffer of " + length + " " + dtype;
    }

    @Override
    public DType dtype() {
        return dtype;
    }

    @Override
    public long length() {
        return length;
    }

    @Override
    public Device device() {
        return backend.device();
    }

    @Override
    public boolean isClosed() {
        return lease.closed;
    }

    @Override
    public void close() {
        lease.closedExplicitly = true;
        cleanable.clean();
    }

    @Override
    public String toString() {
        return "CudaBuffer[" + length + " " + dtype + " on " + backend.device() + (lease.closed ? ", closed]" : "]");
    }
}
