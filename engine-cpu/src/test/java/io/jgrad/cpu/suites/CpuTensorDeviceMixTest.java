package io.jgrad.cpu.suites;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgrad.Backends;
import io.jgrad.DType;
import io.jgrad.Device;
import io.jgrad.Functional;
import io.jgrad.Tensor;
import io.jgrad.spi.Availability;
import io.jgrad.spi.Backend;
import io.jgrad.spi.BackendProvider;
import io.jgrad.spi.BinaryOp;
import io.jgrad.spi.Buffer;
import io.jgrad.spi.Distribution;
import io.jgrad.spi.Gemm;
import io.jgrad.spi.ReduceOp;
import io.jgrad.spi.UnaryOp;
import io.jgrad.spi.View;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Ops that mix devices fail naming both. With one real device here, a second one is faked: a backend named "fake"
 * that runs the CPU kernels but reports device fake:0. It is registered for tests only, with the lowest possible
 * priority, so automatic backend selection still picks the CPU.
 */
class CpuTensorDeviceMixTest {
    private static final Device FAKE = Device.of("fake", 0);

    @AfterEach
    void resetDefaultDevice() {
        Backends.setDefaultDevice(null);
    }

    private static void assertNamesBothDevices(Executable code, String op) {
        String m = assertThrows(IllegalArgumentException.class, code).getMessage();
        assertTrue(m.contains(op) && m.contains("fake:0") && m.contains("cpu"), "should name " + op + ", fake:0 and cpu: " + m);
    }

    @Test
    void mixedOpsNameBothDevices() {
        Tensor cpu = Tensor.ones(2, 2);
        Tensor fake = Tensor.ones(DType.FLOAT32, FAKE, 2, 2);
        assertEquals(FAKE, fake.device());
        assertNamesBothDevices(() -> cpu.add(fake), "add");
        assertNamesBothDevices(() -> fake.mul(cpu), "mul");
        assertNamesBothDevices(() -> cpu.matmul(fake), "matmul");
        assertNamesBothDevices(() -> Tensor.where(cpu, fake, fake), "where");
        assertNamesBothDevices(() -> Tensor.cat(List.of(cpu, fake), 0), "cat");
        assertNamesBothDevices(() -> cpu.indexSelect(0, Tensor.zeros(DType.INT64, FAKE, 1)), "indexSelect");
        assertNamesBothDevices(() -> Functional.crossEntropy(fake, Tensor.zeros(DType.INT64, 2)), "crossEntropy");
        assertNamesBothDevices(() -> cpu.addInPlace(fake), "addInPlace");
        Tensor x = Tensor.ones(2).requiresGrad(true);
        assertNamesBothDevices(() -> x.mul(2).backward(Tensor.ones(DType.FLOAT32, FAKE, 2)), "backward");
    }

    @Test
    void movingBetweenDevicesIsDifferentiable() {
        Tensor x = Tensor.of(new float[]{1, 2, 3}).requiresGrad(true);
        Tensor onFake = x.to(FAKE);
        assertEquals(FAKE, onFake.device());
        assertEquals("ToDeviceBackward", onFake.gradFnName());
        onFake.mul(onFake).to(Device.CPU).sum().backward();
        assertEquals(Device.CPU, x.grad().device());
        assertEquals(List.of(2.0, 4.0, 6.0), List.of(x.grad().toDoubleArray()[0], x.grad().toDoubleArray()[1], x.grad().toDoubleArray()[2]));
        Tensor back = Tensor.zeros(3);
        back.copyFrom(onFake.detach());
        assertEquals(2.0, back.toDoubleArray()[1], 0, "copyFrom moves across devices");
        assertTrue(onFake.toString().contains("device='fake:0'"), onFake.toString());
    }

    @Test
    void automaticSelectionIgnoresTheFakeBackend() {
        Backends.setDefaultDevice(null);
        assertTrue(Backends.names().contains("fake"));
        assertEquals(Device.CPU, Backends.defaultDevice());
    }

    @Test
    void theDefaultDeviceSaysHowItWasChosen() {
        String before = System.getProperty("jgrad.backend");
        try {
            System.setProperty("jgrad.backend", "cpu");
            Backends.setDefaultDevice(null);
            assertEquals(Device.CPU, Backends.defaultDevice());
            assertEquals("set by -Djgrad.backend=cpu", Backends.defaultDeviceSource(), "not 'automatic selection'");
            Backends.setDefaultDevice(Device.CPU);
            assertEquals("set by Backends.setDefaultDevice", Backends.defaultDeviceSource());
            System.clearProperty("jgrad.backend");
            Backends.setDefaultDevice(null);
            Assumptions.assumeTrue(System.getenv("JGRAD_BACKEND") == null, "JGRAD_BACKEND is set in this environment");
            assertEquals(Device.CPU, Backends.defaultDevice());
            assertEquals("automatic selection", Backends.defaultDeviceSource());
        } finally {
            if (before == null) System.clearProperty("jgrad.backend");
            else System.setProperty("jgrad.backend", before);
            Backends.setDefaultDevice(null);
        }
    }

    /** Registered in src/test/resources/META-INF/services; public with a no-argument constructor for ServiceLoader. */
    public static final class FakeDeviceProvider implements BackendProvider {
        @Override
        public String name() {
            return "fake";
        }

        @Override
        public int priority() {
            return Integer.MIN_VALUE;
        }

        @Override
        public Availability availability() {
            return Availability.yes("test-only stand-in for a second device");
        }

        @Override
        public Backend create(int index) {
            return new FakeDevice(Backends.get(Device.CPU), Device.of("fake", index));
        }
    }

    /** The CPU's kernels under another device name. */
    private static final class FakeDevice implements Backend {
        private final Backend cpu;
        private final Device device;

        FakeDevice(Backend cpu, Device device) {
            this.cpu = cpu;
            this.device = device;
        }

        @Override public String name() { return "fake"; }
        @Override public Device device() { return device; }
        @Override public Buffer allocate(DType dtype, long length) { return cpu.allocate(dtype, length); }
        @Override public Buffer upload(float[] data) { return cpu.upload(data); }
        @Override public Buffer upload(double[] data) { return cpu.upload(data); }
        @Override public Buffer upload(long[] data) { return cpu.upload(data); }
        @Override public void download(Buffer src, long off, float[] dst, int at, int n) { cpu.download(src, off, dst, at, n); }
        @Override public void download(Buffer src, long off, double[] dst, int at, int n) { cpu.download(src, off, dst, at, n); }
        @Override public void download(Buffer src, long off, long[] dst, int at, int n) { cpu.download(src, off, dst, at, n); }
        @Override public void unary(UnaryOp op, View out, View in, double a, double b) { cpu.unary(op, out, in, a, b); }
        @Override public void binary(BinaryOp op, View out, View x, View y) { cpu.binary(op, out, x, y); }
        @Override public void where(View out, View c, View x, View y) { cpu.where(out, c, x, y); }
        @Override public void reduce(ReduceOp op, View out, View in, int axis) { cpu.reduce(op, out, in, axis); }
        @Override public void gemm(Gemm gemm) { cpu.gemm(gemm); }
        @Override public void gather(View out, View in, int dim, View index) { cpu.gather(out, in, dim, index); }
        @Override public void scatterAdd(View out, int dim, View index, View src) { cpu.scatterAdd(out, dim, index, src); }
        @Override public void copy(View out, View in) { cpu.copy(out, in); }
        @Override public void fill(View out, double value) { cpu.fill(out, value); }
        @Override public void random(View out, Distribution d, long seed, double a, double b) { cpu.random(out, d, seed, a, b); }
        @Override public void scan(io.jgrad.spi.ScanOp op, View out, View in, int axis) { cpu.scan(op, out, in, axis); }
        @Override public void sort(View values, View indices, View in, int axis, boolean descending) { cpu.sort(values, indices, in, axis, descending); }
    }
}
