package io.jgrad.cuda;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgrad.conformance.IndexingKernelConformance;
import io.jgrad.spi.Backend;
import io.jgrad.spi.Buffer;
import io.jgrad.spi.View;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class CudaIndexingKernelConformanceTest extends IndexingKernelConformance {
    @BeforeAll
    static void requireGpu() {
        CudaKernelSuites.requireGpu();
    }

    @Override
    protected Backend backend() {
        return CudaKernelSuites.backend();
    }

    /**
     * A GPU sees a bad index only while the kernel runs, after the call has returned, so the CUDA backend reports it
     * at the next synchronisation (download or synchronize) rather than from gather itself. Same check otherwise.
     */
    @Override
    @Test
    public void gatherAndScatterAddRejectIndicesOutOfBounds() {
        Backend be = backend();
        for (long bad : new long[]{3, -1, 1000}) {
            try (Buffer in = be.upload(new float[]{1, 2, 3, 4, 5, 6}); Buffer index = be.upload(new long[]{0, 1, 2, bad});
                 Buffer out = be.allocate(io.jgrad.DType.FLOAT32, 4); Buffer src = be.upload(new float[]{1, 1, 1, 1})) {
                View vin = View.contiguous(in, 2, 3);
                View vidx = View.contiguous(index, 2, 2);
                IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> {
                    be.gather(View.contiguous(out, 2, 2), vin, 1, vidx);
                    be.synchronize();
                });
                assertTrue(e.getMessage().contains(Long.toString(bad)), "the message names the index: " + e.getMessage());
                e = assertThrows(IndexOutOfBoundsException.class, () -> {
                    be.scatterAdd(vin, 1, vidx, View.contiguous(src, 2, 2));
                    be.synchronize();
                });
                assertTrue(e.getMessage().contains(Long.toString(bad)), "the message names the index: " + e.getMessage());
            }
        }
    }
}
