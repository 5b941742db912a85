package io.jgrad.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;


import io.jgrad.DType;
import io.jgrad.Generator;

import io.jgrad.Tensor;
import io.jgrad.io.Checkpoint;
import io.jgrad.io.CheckpointException;
import io.jgrad.io.Safetensors;
import io.jgrad.nn.Linear;
import io.jgrad.nn.Module;
import io.jgrad.optim.Adam;
import io.jgrad.optim.Optimizer;
import io.jgrad.optim.SGD;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;


import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Safetensors files and checkpoints with tensors on the device under test: bit-exact round trips, atomic
 * replacement, and all-or-nothing restores into modules and optimizers.
 */
public abstract class CheckpointSuite extends DeviceSuite {

    @TempDir
    Path dir;

    /** Raw bit patterns, so that NaN payloads and the sign of zero are compared too. */
    private static long[] bits(Tensor t) {
        switch (t.dtype()) {
            case FLOAT32: {
                float[] v = t.toFloatArray();
                long[] out = new long[v.length];
                for (int i = 0; i < v.length; i++) out[i] = Float.floatToRawIntBits(v[i]);
                return out;
            }
            case FLOAT64: {
                double[] v = t.toDoubleArray();
                long[] out = new long[v.length];
                for (int i = 0; i < v.length; i++) out[i] = Double.doubleToRawLongBits(v[i]);
                return out;
            }
            default:
                return t.toLongArray();
        }
    }

    private static void assertSameTensor(String name, Tensor expected, Tensor actual) {
        assertEquals(expected.dtype(), actual.dtype(), name + " dtype");
        assertEquals(expected.shape(), actual.shape(), name + " shape");
        assertArrayEquals(bits(expected), bits(actual), name + " bits");
    }

    private static void assertSameTensors(Map<String, Tensor> expected, Map<String, Tensor> actual) {
        assertEquals(new ArrayList<>(expected.keySet()), new ArrayList<>(actual.keySet()), "names in order");
        for (String name : expected.keySet()) assertSameTensor(name, expected.get(name), actual.get(name));
    }

    private static Tensor floatsFromBits(int... bits) {
        float[] v = new float[bits.length];
        for (int i = 0; i < bits.length; i++) v[i] = Float.intBitsToFloat(bits[i]);
        return Tensor.of(v);
    }

    /** Every kind of tensor the format must carry exactly. */
    private static Map<String, Tensor> awkwardTensors() {
        Map<String, Tensor> m = new LinkedHashMap<>();
        // quiet and signalling NaNs with payloads, both signs; -0.0; infinities; the smallest subnormal
        m.put("f32.special", floatsFromBits(0x7fc00001, 0xffc12345, 0x7f800001, 0xff800abc, 0x80000000, 0x7f800000,
                0xff800000, 0x00000001, 0x7f7fffff));
        m.put("f64.special", Tensor.of(new double[]{Double.longBitsToDouble(0x7ff8000000000123L),
            Double.longBitsToDouble(0xfff0000000000001L), -0.0, Double.MIN_VALUE, Double.MAX_VALUE, 1.0 / 3}));
        m.put("i64", Tensor.of(new long[]{Long.MIN_VALUE, -1, 0, 1, Long.MAX_VALUE, 1234567890123L}, 2, 3));
        m.put("scalar.f32", Tensor.scalar(-0.0f));
        m.put("scalar.f64", Tensor.scalar(2.5));
        m.put("scalar.i64", Tensor.of(new long[]{42}, 1).reshape());
        m.put("empty.1d", Tensor.of(new float[0], 0));
        m.put("empty.3d", Tensor.zeros(DType.FLOAT64, 2, 0, 3));
        // a non-contiguous view: stored in its logical (row-major) order
        m.put("transposed", Tensor.arange(0, 6, 1).reshape(2, 3).t());
        // larger than the 64 KiB I/O chunk, with an odd element count
        m.put("big", Tensor.randn(new Generator(7), 3, 7001));
        return m;
    }

    @Test
    void roundTripIsBitExact() throws IOException {
        Map<String, Tensor> tensors = awkwardTensors();
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("epoch", "12");
        meta.put("note", "unicode \u00e9\u4e2d \"quoted\" \\ back\nslash");
        Path file = dir.resolve("model.safetensors");
        Safetensors.write(file, tensors, meta);
        Safetensors.Contents back = Safetensors.read(file);
        assertSameTensors(tensors, back.tensors());
        assertEquals(meta, back.metadata());
        assertEquals(List.copyOf(meta.keySet()), List.copyOf(back.metadata().keySet()));
        for (Tensor t : back.tensors().values()) assertEquals(device(), t.device());
        assertEquals(0, back.tensors().get("scalar.i64").dim(), "0-d stays 0-d");
        assertArrayEquals(new float[]{0, 3, 1, 4, 2, 5}, back.tensors().get("transposed").toFloatArray());

        // the in-memory forms agree with the file byte for byte
        byte[] bytes = Safetensors.toBytes(tensors, meta);
        assertArrayEquals(Files.readAllBytes(file), bytes);
        assertSameTensors(tensors, Safetensors.read(ByteBuffer.wrap(bytes)).tensors());
        // the data section starts on a multiple of 8, as the format recommends
        assertEquals(0, ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong(0) % 8);
    }

    @Test
    void emptyMapsAndNullMetadata() throws IOException {
        Path file = dir.resolve("empty.safetensors");
        Safetensors.write(file, Map.of(), null);
        Safetensors.Contents back = Safetensors.read(file);
        assertTrue(back.tensors().isEmpty());
        assertTrue(back.metadata().isEmpty());
        assertEquals(16, Files.size(file), "8-byte length + \"{}\" padded to 8");
    }

    @Test
    void readsFromABufferWithoutMovingIt() throws IOException {
        byte[] bytes = Safetensors.toBytes(Map.of("x", Tensor.of(new float[]{1, 2})), null);
        ByteBuffer padded = ByteBuffer.allocate(bytes.length + 10);
        padded.position(5);
        padded.put(bytes);
        padded.position(5).limit(5 + bytes.length);
        assertArrayEquals(new float[]{1, 2}, Safetensors.read(padded).tensors().get("x").toFloatArray());
        assertEquals(5, padded.position());
    }

    @Test
    void writerRefusesBadNamesBeforeTouchingTheDisk() {
        Path file = dir.resolve("never.safetensors");
        Tensor t = Tensor.of(new float[]{1});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Safetensors.write(file, Map.of("__metadata__", t), null));
        assertTrue(e.getMessage().contains("reserved"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Safetensors.write(file, Map.of("", t), null));
        Map<String, Tensor> withNull = new LinkedHashMap<>();
        withNull.put("x", null);
        assertThrows(IllegalArgumentException.class, () -> Safetensors.write(file, withNull, null));
        assertFalse(Files.exists(file));
    }

    @Test
    void aFailedSaveLeavesThePreviousFileIntact() throws IOException {
        Path file = dir.resolve("ckpt.safetensors");
        Safetensors.write(file, Map.of("w", Tensor.of(new float[]{1, 2, 3})), Map.of("v", "1"));
        byte[] before = Files.readAllBytes(file);
        // the second tensor fails only when its data is downloaded, after the header and the first tensor are written
        Tensor closed = Tensor.of(new float[]{4, 5});
        closed.close();
        Map<String, Tensor> failing = new LinkedHashMap<>();
        failing.put("a", Tensor.of(new float[]{9}));
        failing.put("b", closed);
        assertThrows(IllegalStateException.class, () -> Safetensors.write(file, failing, Map.of("v", "2")));
        assertArrayEquals(before, Files.readAllBytes(file), "the previous checkpoint survives");
        assertEquals(List.of(file), listDir(), "no temporary file is left behind");
        // a successful save replaces the file
        Safetensors.write(file, Map.of("w", Tensor.of(new float[]{7})), Map.of("v", "3"));
        assertEquals("3", Safetensors.read(file).metadata().get("v"));
        assertEquals(List.of(file), listDir());
    }

    private List<Path> listDir() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }

    // ------------------------------------------------------------------------------------------------ checkpoints

    @Test
    void checkpointKeepsModelAndOptimizerApart() throws IOException {
        Map<String, Tensor> model = new LinkedHashMap<>();
        model.put("0.weight", Tensor.of(new float[]{1, 2, 3, 4}, 2, 2));
        model.put("0.bias", Tensor.of(new float[]{-1, 1}));
        Map<String, Tensor> optim = new LinkedHashMap<>();
        optim.put("step", Tensor.scalar(3.0));
        optim.put("state.0.exp_avg", Tensor.of(new float[]{0.5f, 0.25f, 0, -0f}, 2, 2));
        Path file = dir.resolve("run.ckpt");
        Checkpoint.save(file, model, optim, Map.of("epoch", "4"));

        Checkpoint back = Checkpoint.load(file);
        assertSameTensors(model, back.model());
        assertSameTensors(optim, back.optimizer());
        assertEquals(Map.of("epoch", "4"), back.metadata(), "the format marker is not user metadata");

        // the same file is a plain safetensors file with prefixed names, readable by other tools
        Safetensors.Contents raw = Safetensors.read(file);
        assertEquals(List.of("model.0.weight", "model.0.bias", "optim.step", "optim.state.0.exp_avg"),
                List.copyOf(raw.tensors().keySet()));
        assertEquals("1", raw.metadata().get("jgrad.checkpoint"));

        Checkpoint.save(file, model, null, null);
        assertTrue(Checkpoint.load(file).optimizer().isEmpty());
        assertThrows(IllegalArgumentException.class, () -> Checkpoint.save(file, model, null, Map.of("jgrad.checkpoint", "9")));
    }

    @Test
    void checkpointLoadRefusesForeignAndNewerFiles() throws IOException {
        Path foreign = dir.resolve("foreign.safetensors");
        Safetensors.write(foreign, Map.of("model.w", Tensor.of(new float[]{1}), "encoder.w", Tensor.of(new float[]{2})), null);
        CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoint.load(foreign));
        assertTrue(e.getMessage().contains("encoder.w"), e.getMessage());

        Path newer = dir.resolve("newer.safetensors");
        Safetensors.write(newer, Map.of("model.w", Tensor.of(new float[]{1})), Map.of("jgrad.checkpoint", "2"));
        e = assertThrows(CheckpointException.class, () -> Checkpoint.load(newer));
        assertTrue(e.getMessage().contains("version '2'"), e.getMessage());

        // prefixed names without the marker (for example written from Python) are accepted
        Path python = dir.resolve("python.safetensors");
        Safetensors.write(python, Map.of("model.w", Tensor.of(new float[]{5})), null);
        assertArrayEquals(new float[]{5}, Checkpoint.load(python).model().get("w").toFloatArray());
    }

    private static Module model(long seed) {
        return new Linear(3, 2, new io.jgrad.Generator(seed));
    }

    private static void trainStep(Module m, Optimizer opt) {
        opt.zeroGrad();
        Tensor x = Tensor.of(new float[]{1, -2, 0.5f, 0.3f, 0.1f, -1}, 2, 3);
        m.forward(x).square().sum().backward();
        opt.step();
    }

    @Test
    void restoreResumesTrainingExactly() throws IOException {
        Module a = model(1);
        Optimizer optA = new Adam(a.parameters(), 0.01);
        trainStep(a, optA);
        trainStep(a, optA);
        Path file = dir.resolve("resume.ckpt");
        Checkpoint.save(file, a, optA, Map.of("step", "2"));

        Module b = model(2);
        Optimizer optB = new Adam(b.parameters(), 0.01);
        assertNotEquals(a.stateDict().get("weight").toFloatArray()[0], b.stateDict().get("weight").toFloatArray()[0]);
        Checkpoint restored = Checkpoint.restore(file, b, optB);
        assertEquals("2", restored.metadata().get("step"));
        assertSameTensors(a.stateDict(), b.stateDict());

        // one more step from the same state gives the same parameters, bit for bit
        trainStep(a, optA);
        trainStep(b, optB);
        assertSameTensors(a.stateDict(), b.stateDict());
    }

    @Test
    void restoreIsAllOrNothing() throws IOException {
        Module a = model(1);
        Optimizer adam = new Adam(a.parameters(), 0.01);
        trainStep(a, adam);
        Path file = dir.resolve("adam.ckpt");
        Checkpoint.save(file, a, adam, null);

        // the model would accept its state, but an SGD optimizer refuses Adam's: the model must be rolled back
        Module b = model(2);
        Optimizer sgd = new SGD(b.parameters(), 0.1, 0.9, 0, 0, false);
        trainStep(b, sgd);
        Map<String, Tensor> before = snapshot(b);
        assertThrows(IllegalArgumentException.class, () -> Checkpoint.restore(file, b, sgd));
        assertSameTensors(before, b.stateDict());

        // a state that does not fit the module changes nothing either
        Module wide = new Linear(4, 2, new io.jgrad.Generator(3));
        Map<String, Tensor> wideBefore = snapshot(wide);
        assertThrows(IllegalArgumentException.class, () -> Checkpoint.restore(file, wide, null));
        assertSameTensors(wideBefore, wide.stateDict());

        // and a truncated file is refused before anything is touched
        byte[] bytes = Files.readAllBytes(file);
        Path corrupt = Files.write(dir.resolve("truncated.ckpt"), java.util.Arrays.copyOf(bytes, bytes.length - 1));
        Module c = model(4);
        Map<String, Tensor> cBefore = snapshot(c);
        assertThrows(CheckpointException.class, () -> Checkpoint.restore(corrupt, c, new Adam(c.parameters(), 0.01)));
        assertSameTensors(cBefore, c.stateDict());
    }

    /** "state.00.exp_avg" would alias "state.0.exp_avg", the later silently winning: non-canonical indices are refused. */
    @Test
    void optimizerStateIndicesMustBeCanonical() throws IOException {
        Module a = model(1);
        Optimizer adam = new Adam(a.parameters(), 0.01);
        trainStep(a, adam);
        Map<String, Tensor> aliased = new LinkedHashMap<>(adam.stateDict());
        for (String key : List.copyOf(aliased.keySet())) {
            if (key.startsWith("state.0.")) aliased.put("state.00." + key.substring("state.0.".length()), aliased.get(key).mul(0).add(7));
        }
        Path file = dir.resolve("aliased.ckpt");
        Checkpoint.save(file, a.stateDict(), aliased, null);

        Module b = model(2);
        Optimizer adamB = new Adam(b.parameters(), 0.01);
        Map<String, Tensor> before = snapshot(b);
        Map<String, Tensor> optimBefore = snapshot(adamB.stateDict());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Checkpoint.restore(file, b, adamB));
        assertTrue(e.getMessage().contains("'state.00.exp_avg'") && e.getMessage().contains("state.0.exp_avg"), e.getMessage());
        assertSameTensors(before, b.stateDict());
        assertSameTensors(optimBefore, adamB.stateDict());

        // the alias alone, without the canonical key, is refused too
        Map<String, Tensor> onlyAlias = new LinkedHashMap<>();
        adam.stateDict().forEach((k, v) -> onlyAlias.put(k.replace("state.1.", "state.+1.").replace("state.0.", "state.000."), v));
        e = assertThrows(IllegalArgumentException.class, () -> adamB.loadStateDict(onlyAlias));
        assertTrue(e.getMessage().contains("'state.000.exp_avg'"), e.getMessage());
        adamB.loadStateDict(adam.stateDict()); // the canonical spelling loads
    }

    private static Map<String, Tensor> snapshot(Map<String, Tensor> state) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        state.forEach((k, v) -> out.put(k, v.clone()));
        return out;
    }

    private static Map<String, Tensor> snapshot(Module m) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        m.stateDict().forEach((k, v) -> out.put(k, v.clone()));
        return out;
    }
}
