package io.jgrad.cpu;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.RecursiveAction;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Splits big kernels across one shared pool. The caller thread runs the first chunk itself, so a pool of
 * THREADS - 1 workers keeps every core busy. Small kernels never come here: each kernel compares its work with
 * {@link #MIN_PARALLEL_WORK} first and runs inline, allocating nothing.
 */
final class Parallel {
    private Parallel() {
    }

    static final int THREADS = Math.max(1, Runtime.getRuntime().availableProcessors());

    /**
     * Work (elements times a per-element cost, 1 for a float32 add) below which splitting does not pay. Measured on
     * the 2-core AMD EPYC (Zen 3) VM this was written on: handing a chunk to a worker and joining it costs ~7 us; a
     * SIMD float32 add takes ~0.16 ns per element and exp ~3.5 ns. Splitting in two saves half the work, so it pays
     * above ~100K adds or ~5K exps; 2^17 with the per-op costs of {@link UnaryKernels#cost} (exp 16) splits adds above
     * 128K elements and exps above 8K.
     */
    static final long MIN_PARALLEL_WORK = 1L << 17;

    private static final AtomicInteger THREAD_IDS = new AtomicInteger();
    private static final ForkJoinPool POOL = THREADS == 1 ? null : new ForkJoinPool(THREADS - 1, pool -> {
        ForkJoinWorkerThread t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
        t.setName("jgrad-cpu-" + THREAD_IDS.incrementAndGet());
        t.setDaemon(true);
        return t;
    }, null, false);

    /** A loop body over the index range [from, to). */
    interface Range {
        void run(int from, int to);
    }

    /** How many chunks a job of this much work should use: 1 when it is small or when already inside the pool. */
    static int chunks(long work) {
        if (POOL == null || work < MIN_PARALLEL_WORK) return 1;
        Thread t = Thread.currentThread();
        if (t instanceof ForkJoinWorkerThread w && w.getPool() == POOL) return 1; // nested: the pool is busy already
        return (int) Math.min(THREADS, Math.max(1, work / MIN_PARALLEL_WORK));
    }

    /** Runs body over [0, n) in up to {@code chunks} contiguous pieces, the first on the calling thread. */
    static void forRange(int n, int chunks, Range body) {
        int c = Math.min(chunks, n);
        if (c <= 1) {
            if (n > 0) body.run(0, n);
            return;
        }
        Piece[] pieces = new Piece[c - 1];
        for (int i = 1; i < c; i++) {
            pieces[i - 1] = new Piece(body, (int) ((long) n * i / c), (int) ((long) n * (i + 1) / c));
            POOL.execute(pieces[i - 1]);
        }
        Throwable failure = null;
        try {
            body.run(0, (int) ((long) n / c));
        } catch (RuntimeException | Error e) {
            failure = e;
        }
        for (Piece p : pieces) {
            try {
                p.join();
            } catch (RuntimeException | Error e) {
                if (failure == null) failure = e; else failure.addSuppressed(e);
            }
        }
        if (failure instanceof RuntimeException re) throw re;
        if (failure instanceof Error er) throw er;
    }

    private static final class Piece extends RecursiveAction {
        private final Range body;
        private final int from;
        private final int to;

        Piece(Range body, int from, int to) {
            this.body = body;
            this.from = from;
            this.to = to;
        }

        @Override
        protected void compute() {
            body.run(from, to);
        }
    }
}
