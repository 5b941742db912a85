package io.jgrad.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgrad.DType;
import io.jgrad.spi.Buffer;
import io.jgrad.spi.MemoryStats;
import io.jgrad.spi.UnaryOp;
import io.jgrad.spi.View;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The caching allocator on its own backend instance, so that its statistics are this test's alone. */
class CudaMemoryTest {
    private static CudaBackend backend;

    @BeforeAll
    static void start() {
        Assumptions.assumeTrue(CudaProbe.availability().available(), () -> "no usable GPU: " + CudaProbe.availability().reason());
        backend = new CudaBackend(0);
    }

    @AfterAll
    static void stop() {
        if (backend != null) backend.close();
    }

    @Test
    void closedBlocksAreReusedWithoutNewDeviceAllocations() {
        backend.emptyCache();
        MemoryStats before = backend.memoryStats();
        Buffer a = backend.allocate(DType.FLOAT32, 1000); // 4000 bytes -> the 4096 class
        MemoryStats held = backend.memoryStats();
        assertEquals(before.bytesInUse() + 4096, held.bytesInUse());
        assertEquals(before.deviceAllocations() + 1, held.deviceAllocations());
        a.close();
        a.close(); // harmless
        MemoryStats cached = backend.memoryStats();
        assertEquals(before.bytesInUse(), cached.bytesInUse());
        assertEquals(before.bytesCached() + 4096, cached.bytesCached());
        Buffer b = backend.allocate(DType.FLOAT64, 510); // 4080 bytes: same class, same block
        assertEquals(held.deviceAllocations(), backend.memoryStats().deviceAllocations(), "served from the cache");
        assertTrue(backend.memoryStats().peakBytesInUse() >= held.bytesInUse());
        b.close();
        backend.emptyCache();
        assertEquals(0, backend.memoryStats().bytesCached());
    }

    @Test
    void tenThousandAllocateFreeCyclesKeepStatisticsFlat() {
        try (Buffer warm = backend.allocate(DType.FLOAT32, 12345); Buffer warm2 = backend.allocate(DType.FLOAT64, 3 << 20)) {
            warm.length(); // the classes exist in the cache after these close
            warm2.length();
        }
        MemoryStats start = backend.memoryStats();
        for (int i = 0; i < 10_000; i++) {
            try (Buffer x = backend.allocate(DType.FLOAT32, 12345); Buffer y = backend.allocate(DType.FLOAT64, 3 << 20)) {
                if (i % 1000 == 0) backend.fill(View.contiguous(x, 12345), i);
            }
        }
        MemoryStats end = backend.memoryStats();
        assertEquals(start.bytesInUse(), end.bytesInUse());
        assertEquals(start.bytesCached(), end.bytesCached());
        assertEquals(start.deviceAllocations(), end.deviceAllocations(), "no cuMemAlloc in the steady state");
        assertEquals(start.peakBytesInUse(), end.peakBytesInUse());
    }

    @Test
    void outOfMemoryNamesTheSizesAndTheBackendStillWorks() {
        long[] total = new long[1];
        jcuda.driver.JCudaDriver.cuDeviceTotalMem(total, deviceHandle());
        long tooMany = total[0] / 8 * 2; // float64 elements: twice the device
        Buffer keep = backend.allocate(DType.FLOAT32, 1 << 20);
        try {
            CudaOutOfMemoryException e = assertThrows(CudaOutOfMemoryException.class, () -> backend.allocate(DType.FLOAT64, tooMany));
            assertTrue(e.getMessage().contains("tried to allocate " + tooMany * 8 + " bytes"), e.getMessage());
            assertTrue(e.getMessage().contains("in use") && e.getMessage().contains("cached"), e.getMessage());
            assertTrue(e.getMessage().contains(String.valueOf(backend.memoryStats().bytesInUse())), e.getMessage());
            assertEquals(0, backend.memoryStats().bytesCached(), "the cache was emptied before the retry");
        } finally {
            keep.close();
        }
        try (Buffer ok = backend.upload(new double[]{4})) {
            backend.unary(UnaryOp.SQRT, View.contiguous(ok, 1), View.contiguous(ok, 1), 0, 0);
            double[] r = new double[1];
            backend.download(ok, 0, r, 0, 1);
            assertEquals(2.0, r[0]);
        }
    }

    private static jcuda.driver.CUdevice deviceHandle() {
        jcuda.driver.CUdevice d = new jcuda.driver.CUdevice();
        jcuda.driver.JCudaDriver.cuDeviceGet(d, 0);
        return d;
    }

    @Test
    void unclosedBuffersAreReclaimedByTheCleaner() throws InterruptedException {
        long reclaimedBefore = backend.buffersReclaimedByCleaner();
        long inUseBefore = backend.memoryStats().bytesInUse();
        for (int i = 0; i < 50; i++) backend.allocate(DType.FLOAT32, 1000); // dropped without close
        assertEquals(inUseBefore + 50 * 4096, backend.memoryStats().bytesInUse());
        for (int i = 0; i < 100 && backend.buffersReclaimedByCleaner() < reclaimedBefore + 50; i++) {
            System.gc();
            Thread.sleep(20);
        }
        assertEquals(reclaimedBefore + 50, backend.buffersReclaimedByCleaner());
        assertEquals(inUseBefore, backend.memoryStats().bytesInUse());
    }

    @Test
    void otherThreadsMakeTheContextCurrentThemselves() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            Future<?>[] jobs = new Future<?>[6];
            for (int j = 0; j < jobs.length; j++) {
                double value = j;
                jobs[j] = pool.submit(() -> {
                    try (Buffer b = backend.allocate(DType.FLOAT64, 100)) {
                        backend.fill(View.contiguous(b, 100), value);
                        backend.unary(UnaryOp.AFFINE, View.contiguous(b, 100), View.contiguous(b, 100), 2, 1);
                        double[] r = new double[100];
                        backend.download(b, 0, r, 0, 100);
                        for (double x : r) assertEquals(2 * value + 1, x);
                    }
                    return null;
                });
            }
            for (Future<?> f : jobs) f.get();
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void downloadChecksDtypeAndRange() {
        try (Buffer b = backend.upload(new float[]{1, 2, 3})) {
            assertThrows(IllegalArgumentException.class, () -> backend.download(b, 0, new double[3], 0, 3));
            IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> backend.download(b, 1, new float[3], 0, 3));
            assertTrue(e.getMessage().contains("download"), e.getMessage());
            float[] part = new float[4];
            backend.download(b, 1, part, 2, 2);
            assertEquals(2f, part[2]);
            assertEquals(3f, part[3]);
        }
    }
}
