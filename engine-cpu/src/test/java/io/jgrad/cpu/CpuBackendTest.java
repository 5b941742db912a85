package io.jgrad.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgrad.Backends;
import io.jgrad.DType;
import io.jgrad.Device;
import io.jgrad.spi.BackendProvider;
import io.jgrad.spi.BinaryOp;
import io.jgrad.spi.Buffer;
import io.jgrad.spi.Gemm;
import io.jgrad.spi.ReduceOp;
import io.jgrad.spi.UnaryOp;
import io.jgrad.spi.View;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/** What the cpu backend adds to the SPI contract: discovery, int64 arithmetic, and errors that name the call. */
class CpuBackendTest {
    private final CpuBackend cpu = new CpuBackend();

    @Test
    void theProviderIsFoundByServiceLoaderAndAlwaysAvailable() {
        BackendProvider found = null;
        for (BackendProvider p : ServiceLoader.load(BackendProvider.class)) if (p.name().equals("cpu")) found = p;
        assertTrue(found instanceof CpuBackendProvider, "META-INF/services lists the cpu provider");
        assertEquals(0, found.priority());
        assertTrue(found.availability().available());
        assertEquals("cpu", found.create(0).name());
        assertThrows(IllegalArgumentException.class, () -> new CpuBackendProvider().create(1));
        assertTrue(Backends.get(Device.CPU) instanceof CpuBackend);
        assertSame(Backends.get(Device.CPU), Backends.get(Device.CPU));
    }

    @Test
    void int64SupportsIntegerArithmeticAndSums() {
        View x = View.contiguous(cpu.upload(new long[]{5, -3, 1L << 40, 7}), 2, 2);
        View y = View.contiguous(cpu.upload(new long[]{2, 4, 3, -7}), 2, 2);
        View out = View.contiguous(cpu.allocate(DType.INT64, 4), 2, 2);
        cpu.binary(BinaryOp.MUL, out, x, y);
        assertArrayEquals(new long[]{10, -12, 3L << 40, -49}, longs(out));
        cpu.binary(BinaryOp.SUB, out, x, y);
        assertArrayEquals(new long[]{3, -7, (1L << 40) - 3, 14}, longs(out));
        View sums = View.contiguous(cpu.allocate(DType.INT64, 2), 1, 2);
        cpu.reduce(ReduceOp.SUM, sums, x, 0);
        assertArrayEquals(new long[]{5 + (1L << 40), 4}, longs(sums));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> cpu.binary(BinaryOp.DIV, out, x, y));
        assertTrue(e.getMessage().contains("DIV") && e.getMessage().contains("int64"), e.getMessage());
    }

    @Test
    void badCallsFailWithMessagesNamingTheOpAndTheViews() {
        Buffer f = cpu.allocate(DType.FLOAT32, 12);
        Buffer d = cpu.allocate(DType.FLOAT64, 12);
        View f34 = View.contiguous(f, 3, 4);
        View d34 = View.contiguous(d, 3, 4);
        assertMessage(IllegalArgumentException.class, () -> cpu.unary(UnaryOp.EXP, f34, d34, 0, 0), "unary EXP", "float64");
        assertMessage(IllegalArgumentException.class, () -> cpu.binary(BinaryOp.ADD, f34, f34, View.contiguous(f, 4, 3)),
                "binary ADD", "[4, 3]", "[3, 4]");
        View tooFar = new View(f, 2, new int[]{3, 4}, new long[]{4, 1});
        assertMessage(IndexOutOfBoundsException.class, () -> cpu.fill(tooFar, 1), "fill", "13", "12");
        assertMessage(IllegalArgumentException.class, () -> cpu.reduce(ReduceOp.SUM, View.contiguous(f, 3, 4), f34, 1),
                "reduce SUM", "[3, 1]");
        assertMessage(IllegalArgumentException.class, () -> cpu.reduce(ReduceOp.ARGMAX, View.contiguous(d, 3, 1), f34, 1),
                "reduce ARGMAX", "int64");
        assertMessage(IllegalArgumentException.class,
                () -> cpu.gemm(new Gemm(false, false, 1, 3, 4, 4, 1, f, 0, 4, 0, f, 0, 4, 0, 0, f, 0, 4, 0, false)),
                "gemm", "B", "reaches element 15");
        assertMessage(IllegalArgumentException.class,
                () -> cpu.gemm(new Gemm(false, false, 1, 2, 2, 2, 1, f, 0, 2, 0, d, 0, 2, 0, 0, f, 0, 2, 0, false)),
                "gemm", "float64");
        assertMessage(IllegalArgumentException.class, () -> cpu.download(f, 0, new double[12], 0, 12), "download", "float32");
        f.close();
        assertMessage(IllegalStateException.class, () -> cpu.fill(f34, 1), "fill", "closed");
        assertMessage(IllegalStateException.class, () -> cpu.download(f, 0, new float[1], 0, 1), "closed");
    }

    @Test
    void emptyViewsAreNoOpsAndEmptySumsAreZero() {
        View empty = View.contiguous(cpu.allocate(DType.FLOAT32, 0), 0, 3);
        cpu.unary(UnaryOp.EXP, empty, empty, 0, 0);
        cpu.fill(empty, 1);
        View zeros = View.contiguous(cpu.upload(new float[]{5, 5, 5}), 1, 3);
        cpu.reduce(ReduceOp.SUM, zeros, empty, 0);
        assertArrayEquals(new float[]{0, 0, 0}, floats(zeros));
        assertThrows(IllegalArgumentException.class, () -> cpu.reduce(ReduceOp.MAX, zeros, empty, 0));
    }

    private static void assertMessage(Class<? extends RuntimeException> type, Runnable call, String... parts) {
        RuntimeException e = assertThrows(type, call::run);
        for (String part : parts) assertTrue(e.getMessage().contains(part), "'" + e.getMessage() + "' should mention " + part);
    }

    private long[] longs(View v) {
        long[] out = new long[(int) v.numel()];
        cpu.download(v.buffer, v.offset, out, 0, out.length);
        return out;
    }

    private float[] floats(View v) {
        float[] out = new float[(int) v.numel()];
        cpu.download(v.buffer, v.offset, out, 0, out.length);
        return out;
    }
}
