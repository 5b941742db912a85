package io.jgrad.cpu;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Splits big kernels across a fixed team of THREADS - 1 worker threads plus the caller, which runs the first chunk
 * itself. Small kernels never come here: each kernel compares its work with {@link #MIN_PARALLEL_WORK} first and runs
 * inline, allocating nothing.
 * <p>
 * Why not a ForkJoinPool: a training step issues dozens of parallel kernels back to back, a few microseconds apart,
 * and a parked pool worker takes 10-50 us to wake on a busy VM, about what a 256-wide matrix product's share of work
 * takes. So a worker spins for {@link #SPIN_NANOS} after each chunk before it parks (as OpenMP runtimes do): within a
 * step, handing it a chunk costs a store and a load. Only one thread at a time leads the team; a second thread that
 * asks while the team is busy, or a chunk that asks from inside the team, runs its whole range itself, so nothing
 * ever waits on work queued behind it.
 */
final class Parallel {
    private Parallel() {
    }

    static final int THREADS = Math.max(1, Integer.getInteger("jgrad.cpu.threads", Runtime.getRuntime().availableProcessors()));

    /**
     * Work (elements times a per-element cost, 1 for a float32 add) below which splitting does not pay. Measured on
     * the 2-core AMD EPYC (Zen 3) VM this was written on: a SIMD float32 add takes ~0.16 ns per element and exp
     * ~3.5 ns; handing a chunk to a spinning worker and waiting for it costs ~1-2 us, to a parked one ~10 us or more.
     * 2^17 with the per-op costs of {@link UnaryKernels#cost} (exp 16) splits adds above 128K elements and exps above 8K.
     */
    static final long MIN_PARALLEL_WORK = Long.getLong("jgrad.cpu.parallelWork", 1L << 17);

    /**
     * How long an idle worker spins, waiting for its next chunk, before it parks. 50 us rather than 200: on two cores a
     * spinning worker takes the core that C2's compiler threads need while a run warms up, and the gpt step's JMH run
     * (3 s of warm-up) measured 21-23 ms against 25-28 with 200, steady state alike (18.5-19 ms); the MNIST MLP and CNN
     * steps ran the same with either.
     */
    static final long SPIN_NANOS = Long.getLong("jgrad.cpu.spinMicros", 50) * 1000;

    private static final Worker[] WORKERS = new Worker[THREADS - 1];
    /** Held by the thread leading the team, for the whole parallel region. */
    private static final ReentrantLock LEAD = new ReentrantLock();

    static {
        for (int i = 0; i < WORKERS.length; i++) {
            WORKERS[i] = new Worker(i + 1);
            WORKERS[i].start();
        }
    }

    /** A loop body over the index range [from, to). */
    interface Range {
        void run(int from, int to);
    }

    /** How many chunks a job of this much work should use: 1 when it is small or when already inside the team. */
    static int chunks(long work) {
        if (THREADS == 1 || work < MIN_PARALLEL_WORK || insideTeam()) return 1;
        return (int) Math.min(THREADS, Math.max(1, work / MIN_PARALLEL_WORK));
    }

    private static boolean insideTeam() {
        return Thread.currentThread() instanceof Worker || LEAD.isHeldByCurrentThread();
    }

    /** Runs body over [0, n) in up to {@code chunks} contiguous pieces, the first on the calling thread. */
    static void forRange(int n, int chunks, Range body) {
        run(n, chunks, body, false);
    }

    /**
     * Runs body(u, u + 1) for every unit u in [0, n) on up to {@code threads} threads, each taking the next unit as it
     * comes free. For work whose pieces are few and large (bands of a matrix product): two static halves wait on the
     * slower thread, and on a shared VM one vCPU often runs 10-30% behind the other.
     */
    static void forEachUnit(int n, int threads, Range body) {
        run(n, threads, body, true);
    }

    private static void run(int n, int chunks, Range body, boolean dynamic) {
        int c = Math.min(Math.min(chunks, n), THREADS);
        if (c <= 1 || insideTeam() || !LEAD.tryLock()) {
            if (dynamic) {
                for (int u = 0; u < n; u++) body.run(u, u + 1);
            } else if (n > 0) {
                body.run(0, n);
            }
            return;
        }
        try {
            Job job = new Job(body, n, c, dynamic);
            for (int i = 1; i < c; i++) WORKERS[i - 1].hand(job);
            job.runGuarded(0); // a failure here must still wait for the workers: they may be writing what the caller reads
            // a piece that no worker has picked up by now belongs to a thread the OS (or the hypervisor) has not run
            // for a whole piece's time: the leader takes it back and runs it, rather than wait on that thread
            for (int i = 1; i < c; i++) {
                if (WORKERS[i - 1].revoke(job)) {
                    job.runGuarded(i);
                    job.pending.decrementAndGet();
                }
            }
            job.await();
            job.rethrow();
        } finally {
            LEAD.unlock();
        }
    }

    /** One parallel loop: piece i of c covers [n*i/c, n*(i+1)/c), or, dynamic, whichever units it claims first. */
    private static final class Job {
        final Range body;
        final int n;
        final int pieces;
        final AtomicInteger pending;
        final AtomicInteger nextUnit;
        volatile Throwable failure;

        Job(Range body, int n, int pieces, boolean dynamic) {
            this.body = body;
            this.n = n;
            this.pieces = pieces;
            this.pending = new AtomicInteger(pieces - 1);
            this.nextUnit = dynamic ? new AtomicInteger() : null;
        }

        void runPiece(int i) {
            if (nextUnit == null) {
                body.run((int) ((long) n * i / pieces), (int) ((long) n * (i + 1) / pieces));
                return;
            }
            for (int u; (u = nextUnit.getAndIncrement()) < n; ) {
                if (failure != null) return; // another thread failed: stop early, the leader rethrows
                body.run(u, u + 1);
            }
        }

        /** Runs piece i, keeping a failure for the leader to rethrow once every piece has ended. */
        void runGuarded(int i) {
            try {
                runPiece(i);
            } catch (Throwable t) {
                fail(t);
            }
        }

        void fail(Throwable t) {
            synchronized (this) {
                if (failure == null) failure = t; else failure.addSuppressed(t);
            }
        }

        /** Spins while the workers should be about done, then yields the core (a worker may need it). */
        void await() {
            long spins = 0;
            while (pending.get() > 0) {
                if (++spins < 20_000) Thread.onSpinWait(); else Thread.yield();
            }
        }

        void rethrow() {
            Throwable t = failure;
            if (t instanceof RuntimeException re) throw re;
            if (t instanceof Error er) throw er;
            if (t != null) throw new IllegalStateException(t);
        }
    }

    private static final class Worker extends Thread {
        private final int index;
        /** The job whose piece {@link #index} this worker should run; null once it has taken it, or the leader has. */
        private final AtomicReference<Job> slot = new AtomicReference<>();
        private volatile boolean parked;

        Worker(int index) {
            super("jgrad-cpu-" + index);
            this.index = index;
            setDaemon(true);
        }

        /** Called by the leader only, when this worker's slot is empty (its previous job was awaited or revoked). */
        void hand(Job j) {
            slot.set(j);
            if (parked) LockSupport.unpark(this); // volatile write then read: a parking worker sees j or is unparked
        }

        /** True when the leader took the piece back before this worker started it. */
        boolean revoke(Job j) {
            return slot.compareAndSet(j, null);
        }

        @Override
        public void run() {
            while (true) {
                Job j = next();
                j.runGuarded(index);
                j.pending.decrementAndGet();
            }
        }

        private Job next() {
            long deadline = System.nanoTime() + SPIN_NANOS;
            int spins = 0;
            while (true) {
                Job j = slot.get();
                if (j != null && slot.compareAndSet(j, null)) return j;
                if ((++spins & 63) != 0 || System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                    continue;
                }
                parked = true;
                if (slot.get() == null) LockSupport.park(this);
                parked = false;
                deadline = System.nanoTime() + SPIN_NANOS;
            }
        }
    }
}
