package io.jgrad.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgrad.Backends;
import io.jgrad.DType;
import io.jgrad.Device;
import io.jgrad.Generator;
import io.jgrad.Scope;
import io.jgrad.Tensor;
import io.jgrad.spi.Backend;
import io.jgrad.spi.MemoryStats;
import org.junit.jupiter.api.Test;

/** The CPU backend's memory accounting, and what it shows of backward: gradients are freed as they are used up. */
class CpuMemoryStatsTest {

    @Test
    void buffersCountWhileOpenAndThePeakRestartsFromWhatIsInUse() {
        Backend be = Backends.get(Device.CPU);
        int n = ArrayPool.MIN_LENGTH + 13;
        long before = be.memoryStats().bytesInUse();
        be.resetPeakMemoryStats();
        CpuBuffer a = CpuBuffer.allocate(DType.FLOAT32, n);
        CpuBuffer b = CpuBuffer.allocate(DType.FLOAT64, 100); // under the pool's minimum: counted all the same
        assertEquals(before + 4L * n + 800, be.memoryStats().bytesInUse());
        a.close();
        a.close(); // once only
        MemoryStats s = be.memoryStats();
        assertEquals(before + 800, s.bytesInUse());
        assertEquals(before + 4L * n + 800, s.peakBytesInUse());
        be.resetPeakMemoryStats();
        assertEquals(before + 800, be.memoryStats().peakBytesInUse());
        b.close();
        assertEquals(before, be.memoryStats().bytesInUse());
    }

    @Test
    void backwardFreesEachGradientOnceItIsUsedUp() {
        Backend be = Backends.get(Device.CPU);
        int size = 1 << 18; // 1 MiB of float32 per tensor
        long bytes = 4L * size;
        int depth = 12;
        Tensor x = Tensor.randn(new Generator(3), size).requiresGrad(true);
        try (Scope scope = Scope.open()) {
            Tensor y = x;
            for (int i = 0; i < depth; i++) y = y.mul(1.01).add(0.5); // each step: two activations, two gradients
            Tensor loss = y.sum();
            long start = be.memoryStats().bytesInUse();
            be.resetPeakMemoryStats();
            loss.backward();
            long extra = be.memoryStats().peakBytesInUse() - start;
            // a few gradients alive at once (and x.grad), not one per op: 2 * depth would be 24 MiB
            assertTrue(extra <= 4 * bytes, "backward's peak above its start: " + extra / (1 << 20) + " MiB");
            double[] g = x.grad().toDoubleArray();
            double want = Math.pow(1.01, depth);
            for (int i = 0; i < size; i += 4099) assertEquals(want, g[i], 1e-5 * want);
        }
    }
}
