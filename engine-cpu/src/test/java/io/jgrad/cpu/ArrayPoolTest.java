package io.jgrad.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgrad.DType;
import org.junit.jupiter.api.Test;

/** Closed buffers' arrays come back for the next allocation of their size, once, and only their own. */
class ArrayPoolTest {

    @Test
    void aClosedBuffersArrayServesTheNextAllocationOfThatSizeOnce() {
        int n = ArrayPool.MIN_LENGTH + 7; // a length no other test in this JVM uses
        CpuBuffer first = CpuBuffer.allocate(DType.FLOAT32, n);
        float[] array = first.floats();
        first.close();
        first.close(); // twice: must not hand the array out twice
        CpuBuffer second = CpuBuffer.allocate(DType.FLOAT32, n);
        CpuBuffer third = CpuBuffer.allocate(DType.FLOAT32, n);
        assertSame(array, second.floats(), "recycled");
        assertNotSame(array, third.floats(), "handed out once only");
        assertThrows(IllegalStateException.class, first::floats, "the closed buffer stays closed");
        second.close();
        third.close();
    }

    @Test
    void sizesAndDtypesDoNotMix() {
        int n = ArrayPool.MIN_LENGTH + 11;
        CpuBuffer d = CpuBuffer.allocate(DType.FLOAT64, n);
        double[] doubles = d.doubles();
        d.close();
        CpuBuffer f = CpuBuffer.allocate(DType.FLOAT32, n);
        CpuBuffer l = CpuBuffer.allocate(DType.INT64, n);
        CpuBuffer shorter = CpuBuffer.allocate(DType.FLOAT64, n - 1);
        assertEquals(n, f.length());
        assertEquals(n, l.length());
        assertEquals(n - 1, shorter.length());
        assertSame(doubles, CpuBuffer.allocate(DType.FLOAT64, n).doubles());
    }

    @Test
    void smallArraysAreLeftToTheAllocator() {
        CpuBuffer small = CpuBuffer.allocate(DType.FLOAT32, 16);
        float[] array = small.floats();
        small.close();
        assertNotSame(array, CpuBuffer.allocate(DType.FLOAT32, 16).floats());
    }

    @Test
    void uploadsCopyAndRecycleToo() {
        float[] data = new float[ArrayPool.MIN_LENGTH + 13];
        data[3] = 42f;
        CpuBackend cpu = new CpuBackend();
        CpuBuffer up = (CpuBuffer) cpu.upload(data);
        assertNotSame(data, up.floats(), "an upload is a copy");
        assertEquals(42f, up.floats()[3]);
        float[] array = up.floats();
        up.close();
        assertSame(array, CpuBuffer.allocate(DType.FLOAT32, data.length).floats());
        data[4] = 7f; // the caller's array was never pooled
        assertEquals(7f, data[4]);
    }

    @Test
    void thePoolStaysWithinItsCapacity() {
        int n = 1 << 20; // 4 MB each
        for (int i = 0; i < 2 + ArrayPool.CAPACITY_BYTES / (4L * n); i++) {
            CpuBuffer b = CpuBuffer.allocate(DType.FLOAT32, n + i); // distinct sizes: none is reused
            b.close();
            assertTrue(ArrayPool.pooledBytes() <= ArrayPool.CAPACITY_BYTES, "pooled " + ArrayPool.pooledBytes());
        }
    }

    @Test
    void testsRunWithPoisonedAllocations() {
        // the build's test JVMs pass -Djgrad.cpu.poison=true, so kernels that read memory they did not write fail
        assertTrue(ArrayPool.POISON, "run the tests with -Djgrad.cpu.poison=true (the root pom's jgrad.test.jvm does)");
        CpuBuffer b = CpuBuffer.allocate(DType.FLOAT32, 5);
        assertTrue(Float.isNaN(b.floats()[0]) && Float.isNaN(b.floats()[4]));
        assertEquals(Long.MIN_VALUE, CpuBuffer.allocate(DType.INT64, 3).longs()[2]);
    }
}
