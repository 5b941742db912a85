package io.jgrad.cpu;

import java.lang.reflect.Array;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Recycles the arrays of closed buffers, by exact dtype and length, most recently freed first. Java zeroes every new
 * array, and an MNIST MLP step allocates ~5 MB: zeroing it and the young collections it brings cost ~0.3 ms a step
 * on a 2-core Zen 3, and a fresh array is cold in cache where a recycled one is usually warm.
 * <p>
 * Small arrays (under {@link #MIN_LENGTH} elements) are left to the allocator, which is faster for them. The pool holds
 * at most {@link #CAPACITY_BYTES}; an array that would overflow it empties the pool first, so a workload that moves
 * to other sizes does not keep stale ones alive. With {@code -Djgrad.cpu.poison=true} (on in this project's tests),
 * every allocation is filled with NaN (int64 and int32: their MIN_VALUE, bool: true, float16 and bfloat16: the NaN 0x7FFF), so a kernel that reads memory it did not write fails
 * its tests instead of passing on zeros: the SPI says allocations are uninitialised, as on a GPU.
 * <p>
 * It also keeps the backend's memory accounting ({@link CpuBackend#memoryStats()}): every array it hands out, to a
 * buffer or as a kernel's scratch (a convolution's column tile), counts as in use until it comes back through
 * {@link #recycle}, whether the pool keeps it or not; the peak is the most ever in use at once since the last
 * {@link #resetPeak}. An array whose buffer is dropped without being closed stays counted until a Cleaner closes it.
 */
final class ArrayPool {
    private ArrayPool() {
    }

    static final int MIN_LENGTH = 4096;
    static final long CAPACITY_BYTES = Long.getLong("jgrad.cpu.poolMiB",
            Math.min(1024, Runtime.getRuntime().maxMemory() / 8 / (1 << 20))) << 20;
    static final boolean POISON = Boolean.getBoolean("jgrad.cpu.poison");

    private static final HashMap<Long, ArrayDeque<Object>> FREE = new HashMap<>();
    private static long pooledBytes;

    static float[] floats(int n) {
        float[] a = (float[]) take(0, n);
        if (a == null) {
            if (n >= MIN_LENGTH) FRESH.incrementAndGet();
            try {
                a = new float[n];
            } catch (OutOfMemoryError e) {
                drain();
                a = new float[retrySize(n, "float32", 4, e)];
            }
        }
        taken(a.length, 4);
        if (POISON) Arrays.fill(a, Float.NaN);
        return a;
    }

    static double[] doubles(int n) {
        double[] a = (double[]) take(1, n);
        if (a == null) {
            if (n >= MIN_LENGTH) FRESH.incrementAndGet();
            try {
                a = new double[n];
            } catch (OutOfMemoryError e) {
                drain();
                a = new double[retrySize(n, "float64", 8, e)];
            }
        }
        taken(a.length, 8);
        if (POISON) Arrays.fill(a, Double.NaN);
        return a;
    }

    static long[] longs(int n) {
        long[] a = (long[]) take(2, n);
        if (a == null) {
            if (n >= MIN_LENGTH) FRESH.incrementAndGet();
            try {
                a = new long[n];
            } catch (OutOfMemoryError e) {
                drain();
                a = new long[retrySize(n, "int64", 8, e)];
            }
        }
        taken(a.length, 8);
        if (POISON) Arrays.fill(a, Long.MIN_VALUE);
        return a;
    }

    static int[] ints(int n) {
        int[] a = (int[]) take(3, n);
        if (a == null) {
            if (n >= MIN_LENGTH) FRESH.incrementAndGet();
            a = new int[n];
        }
        taken(a.length, 4);
        if (POISON) Arrays.fill(a, Integer.MIN_VALUE);
        return a;
    }

    static boolean[] bools(int n) {
        boolean[] a = (boolean[]) take(4, n);
        if (a == null) {
            if (n >= MIN_LENGTH) FRESH.incrementAndGet();
            a = new boolean[n];
        }
        taken(a.length, 1);
        if (POISON) Arrays.fill(a, true); // no value is invalid for a bool; true is the less likely one to pass by chance
        return a;
    }

    /** float16 and bfloat16 bit patterns; poisoned with 0x7FFF, a NaN in both formats. */
    static short[] shorts(int n) {
        short[] a = (short[]) take(5, n);
        if (a == null) a = new short[n];
        if (POISON) Arrays.fill(a, (short) 0x7fff);
        return a;
    }

    /** Keeps a closed buffer's array for reuse. The caller must hold the only reference that will be used again. */
    static void recycle(Object array) {
        int n = Array.getLength(array);
        int kind = kind(array);
        long bytes = (long) n * BYTES[kind];
        IN_USE.addAndGet(-bytes);
        if (n < MIN_LENGTH) return;
        if (bytes > CAPACITY_BYTES) return;
        synchronized (FREE) {
            if (pooledBytes + bytes > CAPACITY_BYTES) {
                FREE.clear();
                pooledBytes = 0;
            }
            FREE.computeIfAbsent(key(kind, n), x -> new ArrayDeque<>()).push(array);
            pooledBytes += bytes;
        }
    }

    /** Drops every pooled array, so that an allocation that failed can use their memory. */
    static void drain() {
        synchronized (FREE) {
            FREE.clear();
            pooledBytes = 0;
        }
    }

    /**
     * After a failed allocation and a drained pool: {@code n} again if the heap could hold it, else a clear
     * {@link OutOfMemoryError} naming the request (the JVM's says only "Java heap space").
     */
    private static int retrySize(int n, String type, int elementSize, OutOfMemoryError e) {
        long bytes = (long) n * elementSize;
        if (bytes >= Runtime.getRuntime().maxMemory()) throw outOfMemory(n, type, bytes, e);
        return n; // a second failure is named by CpuBuffer.allocate
    }

    static OutOfMemoryError outOfMemory(long n, String type, long bytes, Throwable cause) {
        OutOfMemoryError oom = new OutOfMemoryError("cpu: cannot allocate " + n + " " + type + " elements (" + bytes
                + " bytes) in a heap of at most " + Runtime.getRuntime().maxMemory()
                + " bytes (raise -Xmx, or free tensors sooner with close() or a Scope)");
        oom.initCause(cause);
        return oom;
    }

    /** Bytes of arrays handed out and not yet recycled. */
    private static final AtomicLong IN_USE = new AtomicLong();
    /** The most bytes in use at once since the start or the last {@link #resetPeak}. */
    private static final AtomicLong PEAK = new AtomicLong();
    /** Arrays the allocator had to make because the pool had none of that size. */
    private static final AtomicLong FRESH = new AtomicLong();

    private static void taken(int n, int elementBytes) {
        long now = IN_USE.addAndGet((long) n * elementBytes);
        long peak = PEAK.get();
        while (now > peak && !PEAK.compareAndSet(peak, now)) peak = PEAK.get();
    }

    static long bytesInUse() {
        return IN_USE.get();
    }

    static long peakBytesInUse() {
        return PEAK.get();
    }

    static long freshArrays() {
        return FRESH.get();
    }

    /** Starts a new peak from what is in use now. */
    static void resetPeak() {
        PEAK.set(IN_USE.get());
    }

    /** Bytes held for reuse now. */
    static long pooledBytes() {
        synchronized (FREE) {
            return pooledBytes;
        }
    }

    private static Object take(int kind, int n) {
        if (n < MIN_LENGTH) return null;
        synchronized (FREE) {
            ArrayDeque<Object> q = FREE.get(key(kind, n));
            Object a = q == null ? null : q.poll();
            if (a != null) pooledBytes -= (long) n * BYTES[kind];
            return a;
        }
    }

    /** Element bytes of each kind: float, double, long, int, boolean, short. */
    private static final int[] BYTES = {4, 8, 8, 4, 1, 2};

    private static int kind(Object array) {
        if (array instanceof float[]) return 0;
        if (array instanceof double[]) return 1;
        if (array instanceof long[]) return 2;
        if (array instanceof int[]) return 3;
        if (array instanceof short[]) return 5;
        return 4;
    }

    private static long key(int kind, int n) {
        return ((long) n << 3) | kind;
    }
}
