package io.jgrad.cuda;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.jgrad.Backends;
import io.jgrad.DType;
import io.jgrad.Device;
import io.jgrad.spi.Availability;
import io.jgrad.spi.Buffer;
import io.jgrad.spi.View;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;

/** Shared by the tests that need a GPU: they skip, printing the probe's reason, where there is none. */
abstract class GpuTestSupport {
    static CudaBackend gpu;
    private final List<Buffer> buffers = new ArrayList<>();

    @BeforeAll
    static void requireGpu() {
        Availability a = CudaProbe.availability();
        Assumptions.assumeTrue(a.available(), () -> "no usable GPU: " + a.reason());
        gpu = (CudaBackend) Backends.get(Device.cuda());
    }

    @AfterEach
    void closeBuffersAndCheckDeviceErrors() {
        gpu.synchronize();
        buffers.forEach(Buffer::close);
        buffers.clear();
    }

    /** A buffer holding the values converted to dtype (int64: truncated like Java's cast), closed after the test. */
    Buffer upload(DType t, double... values) {
        Buffer b;
        switch (t) {
            case FLOAT32: {
                float[] f = new float[values.length];
                for (int i = 0; i < f.length; i++) f[i] = (float) values[i];
                b = gpu.upload(f);
                break;
            }
            case FLOAT64:
                b = gpu.upload(values.clone());
                break;
            default: {
                long[] l = new long[values.length];
                for (int i = 0; i < l.length; i++) l[i] = (long) values[i];
                b = gpu.upload(l);
            }
        }
        buffers.add(b);
        return b;
    }

    Buffer uploadLongs(long... values) {
        Buffer b = gpu.upload(values);
        buffers.add(b);
        return b;
    }

    Buffer allocate(DType t, long n) {
        Buffer b = gpu.allocate(t, n);
        buffers.add(b);
        return b;
    }

    /** Buffer filled with NaN (or a marker for int64) so that unwritten elements show. */
    Buffer garbage(DType t, int n) {
        double[] v = new double[n];
        java.util.Arrays.fill(v, t == DType.INT64 ? -777 : Double.NaN);
        return upload(t, v);
    }

    static double[] download(Buffer b) {
        int n = (int) b.length();
        double[] out = new double[n];
        switch (b.dtype()) {
            case FLOAT32: {
                float[] f = new float[n];
                gpu.download(b, 0, f, 0, n);
                for (int i = 0; i < n; i++) out[i] = f[i];
                break;
            }
            case FLOAT64:
                gpu.download(b, 0, out, 0, n);
                break;
            default: {
                long[] l = new long[n];
                gpu.download(b, 0, l, 0, n);
                for (int i = 0; i < n; i++) out[i] = l[i];
            }
        }
        return out;
    }

    static long[] downloadLongs(Buffer b) {
        long[] l = new long[(int) b.length()];
        gpu.download(b, 0, l, 0, l.length);
        return l;
    }

    static View view(Buffer b, int... shape) {
        return View.contiguous(b, shape);
    }

    static double[] randoms(int n, long seed, double scale) {
        Random r = new Random(seed);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = (r.nextDouble() * 2 - 1) * scale;
        return v;
    }

    /** The value as the dtype stores it. */
    static double round(DType t, double v) {
        return t == DType.FLOAT32 ? (float) v : t == DType.INT64 ? (long) v : v;
    }

    /** got equals want within rel (relative) or abs, or both are NaN; for int64 exactly. */
    static void assertClose(double want, double got, double rel, double abs, String what) {
        if (Double.isNaN(want) && Double.isNaN(got)) return;
        if (want == got) return;
        if (Double.isNaN(want) || Double.isNaN(got) || Double.isInfinite(want) || Double.isInfinite(got)) {
            fail(what + ": expected " + want + " but got " + got);
        }
        double err = Math.abs(want - got);
        assertTrue(err <= abs || err <= rel * Math.abs(want), what + ": expected " + want + " but got " + got + " (error " + err + ")");
    }

    /** Relative tolerance of one dtype's rounding, a few ulps. */
    static double tolerance(DType t) {
        return t == DType.FLOAT32 ? 3e-7 : 1e-14;
    }

    /** Calls f for every index of shape in row-major order. */
    static void forEachIndex(int[] shape, java.util.function.Consumer<int[]> f) {
        long n = View.numel(shape);
        int[] idx = new int[shape.length];
        for (long i = 0; i < n; i++) {
            f.accept(idx);
            for (int d = shape.length - 1; d >= 0 && ++idx[d] == shape[d]; d--) idx[d] = 0;
        }
    }

    static long offset(View v, int[] idx) {
        long o = v.offset;
        for (int d = 0; d < idx.length; d++) o += idx[d] * v.strides[d];
        return o;
    }
}
