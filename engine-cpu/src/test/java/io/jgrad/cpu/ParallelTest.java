package io.jgrad.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

/** The worker team: every index exactly once, failures rethrown, nested and concurrent callers served. */
class ParallelTest {

    @Test
    void everyIndexRunsExactlyOnceStaticOrDynamic() {
        for (int n : new int[]{0, 1, 2, 3, 17, 1000}) {
            for (int chunks = 1; chunks <= 4; chunks++) {
                AtomicIntegerArray hits = new AtomicIntegerArray(n);
                Parallel.forRange(n, chunks, (from, to) -> {
                    for (int i = from; i < to; i++) hits.incrementAndGet(i);
                });
                AtomicIntegerArray units = new AtomicIntegerArray(n);
                Parallel.forEachUnit(n, chunks, (u, end) -> {
                    assertEquals(u + 1, end, "a unit is one index");
                    units.incrementAndGet(u);
                });
                for (int i = 0; i < n; i++) {
                    assertEquals(1, hits.get(i), "forRange index " + i + " of " + n + " in " + chunks + " chunks");
                    assertEquals(1, units.get(i), "forEachUnit index " + i + " of " + n + " on " + chunks + " threads");
                }
            }
        }
    }

    @Test
    void aFailureInAnyChunkReachesTheCallerAndTheTeamStaysUsable() {
        IllegalStateException boom = new IllegalStateException("boom");
        for (int failing = 0; failing < 2; failing++) {
            int at = failing == 0 ? 0 : 999; // the caller's chunk, then the last (a worker's, where there is one)
            IllegalStateException got = assertThrows(IllegalStateException.class, () -> Parallel.forRange(1000, 2, (from, to) -> {
                if (from <= at && at < to) throw boom;
            }));
            assertSame(boom, got);
            assertThrows(IllegalStateException.class, () -> Parallel.forEachUnit(100, 2, (u, end) -> {
                if (u == 50) throw boom;
            }));
        }
        int[] sum = new int[1];
        Parallel.forRange(10, 1, (from, to) -> sum[0] += to - from);
        assertEquals(10, sum[0]);
        everyIndexRunsExactlyOnceStaticOrDynamic();
    }

    @Test
    void aFailureInTheCallersChunkStillWaitsForTheOtherChunks() {
        for (int round = 0; round < 20; round++) {
            java.util.concurrent.atomic.AtomicBoolean otherDone = new java.util.concurrent.atomic.AtomicBoolean();
            assertThrows(IllegalStateException.class, () -> Parallel.forRange(2, 2, (from, to) -> {
                if (from <= 1 && 1 < to) {
                    try {
                        Thread.sleep(20);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    otherDone.set(true);
                }
                if (from == 0) throw new IllegalStateException("caller's chunk");
            }));
            assertTrue(otherDone.get(), "forRange returned while another chunk was still running");
        }
    }

    @Test
    void aChunkThatAsksForThreadsRunsInline() {
        AtomicIntegerArray hits = new AtomicIntegerArray(64 * 64);
        Parallel.forRange(64, 2, (from, to) -> {
            for (int i = from; i < to; i++) {
                int row = i;
                assertEquals(1, Parallel.chunks(Long.MAX_VALUE), "inside the team nothing is split again");
                Parallel.forRange(64, 2, (f, t) -> {
                    for (int j = f; j < t; j++) hits.incrementAndGet(row * 64 + j);
                });
            }
        });
        for (int i = 0; i < 64 * 64; i++) assertEquals(1, hits.get(i));
    }

    @Test
    void concurrentCallersAllGetCompleteResults() throws Exception {
        int callers = 4, rounds = 300, n = 4096;
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        try {
            CountDownLatch start = new CountDownLatch(1);
            Future<?>[] done = new Future<?>[callers];
            for (int c = 0; c < callers; c++) {
                int id = c;
                done[c] = pool.submit(() -> {
                    start.await();
                    long[] out = new long[n];
                    long[] want = new long[n];
                    for (int i = 0; i < n; i++) want[i] = (long) i * id;
                    for (int r = 0; r < rounds; r++) {
                        java.util.Arrays.fill(out, -1);
                        if (r % 2 == 0) {
                            Parallel.forRange(n, 2, (from, to) -> {
                                for (int i = from; i < to; i++) out[i] = (long) i * id;
                            });
                        } else {
                            Parallel.forEachUnit(n / 64, 2, (u, end) -> {
                                for (int i = u * 64; i < end * 64; i++) out[i] = (long) i * id;
                            });
                        }
                        assertArrayEquals(want, out, "caller " + id + " round " + r);
                    }
                    return null;
                });
            }
            start.countDown();
            for (Future<?> f : done) f.get(60, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
    }
}
