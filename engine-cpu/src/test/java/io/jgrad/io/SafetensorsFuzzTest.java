package io.jgrad.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.jgrad.Backends;
import io.jgrad.DType;
import io.jgrad.Device;
import io.jgrad.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Mutation fuzzing through the public API, in memory: 10,000 corrupted versions of a checkpoint written by
 * {@link Safetensors}, each of which must be refused with a {@link CheckpointException} or load to exactly the
 * tensors its bytes describe (checked against an independent decoding with Gson's tree model and a ByteBuffer).
 * Any other exception or error fails.
 */
class SafetensorsFuzzTest {
    private static final int FILES = 10_000;

    @BeforeEach
    void useCpu() {
        Backends.setDefaultDevice(Device.CPU);
    }

    @AfterEach
    void reset() {
        Backends.setDefaultDevice(null);
    }

    private static byte[] seed() {
        Map<String, Tensor> m = new LinkedHashMap<>();
        float[] w = new float[12];
        for (int i = 0; i < w.length; i++) w[i] = (i - 5) * 0.375f;
        w[3] = Float.intBitsToFloat(0x7fc0beef);
        w[4] = -0f;
        m.put("layer.weight", Tensor.of(w, 3, 4));
        m.put("layer.bias", Tensor.of(new double[]{Math.PI, -0.0, Double.NaN}));
        m.put("step", Tensor.of(new long[]{123456789}, 1).reshape());
        m.put("empty", Tensor.zeros(2, 0));
        m.put("ids", Tensor.of(new long[]{-1, Long.MAX_VALUE}));
        return Safetensors.toBytes(m, Map.of("epoch", "3", "lr", "0.001"));
    }

    @Test
    void corruptedFilesAreRefusedOrLoadedExactly() {
        byte[] seed = seed();
        Mutations mutations = new Mutations(seed, new SplittableRandom(77));
        int refused = 0;
        int loaded = 0;
        for (int i = 0; i < FILES; i++) {
            byte[] file = mutations.next();
            Safetensors.Contents contents;
            try {
                contents = Safetensors.read(ByteBuffer.wrap(file));
            } catch (CheckpointException expected) {
                refused++;
                continue;
            } catch (Throwable t) {
                throw new AssertionError("file " + i + " (" + mutations.last + ") raised " + t, t);
            }
            loaded++;
            try {
                assertLoadedExactly(file, contents);
            } catch (Throwable t) {
                throw new AssertionError("file " + i + " (" + mutations.last + ") loaded wrongly: " + t.getMessage(), t);
            }
        }
        assertEquals(FILES, refused + loaded);
        assertTrue(refused > FILES / 2, "refused only " + refused + " of " + FILES);
        assertTrue(loaded > FILES / 50, "loaded only " + loaded + " of " + FILES + ": the mutations are too destructive");
    }

    /** Decodes the file independently and compares every tensor bit for bit, and the metadata. */
    private static void assertLoadedExactly(byte[] file, Safetensors.Contents contents) {
        ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        int n = (int) b.getLong(0);
        JsonObject header = JsonParser.parseString(new String(file, 8, n, StandardCharsets.UTF_8)).getAsJsonObject();
        List<String> names = new ArrayList<>(header.keySet());
        Map<String, String> metadata = new LinkedHashMap<>();
        if (names.remove("__metadata__")) {
            header.getAsJsonObject("__metadata__").entrySet().forEach(e -> metadata.put(e.getKey(), e.getValue().getAsString()));
        }
        assertEquals(metadata, contents.metadata());
        assertEquals(names, List.copyOf(contents.tensors().keySet()));
        for (String name : names) {
            JsonObject info = header.getAsJsonObject(name);
            Tensor t = contents.tensors().get(name);
            JsonArray shape = info.getAsJsonArray("shape");
            int[] expectedShape = new int[shape.size()];
            for (int d = 0; d < expectedShape.length; d++) expectedShape[d] = shape.get(d).getAsInt();
            assertArrayEquals(expectedShape, t.shape().toArray(), name);
            int at = 8 + n + info.getAsJsonArray("data_offsets").get(0).getAsInt();
            int count = (int) t.numel();
            switch (info.get("dtype").getAsString()) {
                case "F32": {
                    assertEquals(DType.FLOAT32, t.dtype());
                    float[] v = t.toFloatArray();
                    for (int k = 0; k < count; k++) assertEquals(b.getInt(at + 4 * k), Float.floatToRawIntBits(v[k]), name);
                    break;
                }
                case "F64": {
                    assertEquals(DType.FLOAT64, t.dtype());
                    double[] v = t.toDoubleArray();
                    for (int k = 0; k < count; k++) assertEquals(b.getLong(at + 8 * k), Double.doubleToRawLongBits(v[k]), name);
                    break;
                }
                case "I64": {
                    assertEquals(DType.INT64, t.dtype());
                    assertArrayEquals(readLongs(b, at, count), t.toLongArray(), name);
                    break;
                }
                case "I32": {
                    assertEquals(DType.INT32, t.dtype());
                    int[] v = t.toIntArray();
                    for (int k = 0; k < count; k++) assertEquals(b.getInt(at + 4 * k), v[k], name);
                    break;
                }
                case "BOOL": {
                    assertEquals(DType.BOOL, t.dtype());
                    boolean[] v = t.toBooleanArray();
                    for (int k = 0; k < count; k++) assertEquals(b.get(at + k) != 0, v[k], name);
                    break;
                }
                case "BF16":
                case "F16": { // loaded natively: the tensor holds the file's bit patterns
                    assertEquals(info.get("dtype").getAsString().equals("F16") ? DType.FLOAT16 : DType.BFLOAT16, t.dtype());
                    short[] v = t.toHalfBits();
                    for (int k = 0; k < count; k++) assertEquals(b.getShort(at + 2 * k), v[k], name);
                    break;
                }
                default:
                    fail("loaded a tensor of unsupported dtype " + info.get("dtype"));
            }
        }
    }

    private static long[] readLongs(ByteBuffer b, int at, int count) {
        long[] out = new long[count];
        for (int k = 0; k < count; k++) out[k] = b.getLong(at + 8 * k);
        return out;
    }

    /** Random corruptions: byte flips, truncation, length-field edits and header text edits with a consistent length. */
    private static final class Mutations {
        private static final String[] VALUES = {"-1", "0", "2", "3", "4", "8", "12", "24", "2147483647", "2147483648",
            "9223372036854775807", "9223372036854775808", "1e2", "2.0", "\"3\"", "null", "[]", "{}", "true"};
        private static final String[] DTYPES = {"\"F32\"", "\"F64\"", "\"I64\"", "\"F16\"", "\"BF16\"", "\"I32\"",
            "\"U8\"", "\"BOOL\"", "\"F8_E5M2\"", "\"\"", "\"f64\"", "0", "null"};
        private static final String[] TEXT = {"{", "}", "[", "]", ",", ":", "\"", "\\", " ", "\"step\"",
            "\"__metadata__\"", "\"dtype\"", "\"shape\"", "\"data_offsets\"", "\u00ff", "\ud800"};
        private static final Pattern NUMBER = Pattern.compile("\\d+");
        private static final Pattern DTYPE = Pattern.compile("\"(F32|F64|I64)\"");

        private final byte[] seed;
        private final String header;
        private final byte[] data;
        private final SplittableRandom rng;
        String last;

        Mutations(byte[] seed, SplittableRandom rng) {
            this.seed = seed;
            this.rng = rng;
            int n = (int) ByteBuffer.wrap(seed).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
            this.header = new String(seed, 8, n, StandardCharsets.UTF_8);
            this.data = Arrays.copyOfRange(seed, 8 + n, seed.length);
        }

        byte[] next() {
            switch (rng.nextInt(7)) {
                case 0: {
                    byte[] out = seed.clone();
                    int flips = 1 + rng.nextInt(4);
                    StringBuilder what = new StringBuilder("flip");
                    for (int i = 0; i < flips; i++) {
                        int at = rng.nextInt(out.length);
                        out[at] ^= (byte) (1 + rng.nextInt(255));
                        what.append(' ').append(at);
                    }
                    last = what.toString();
                    return out;
                }
                case 1: {
                    int len = rng.nextInt(seed.length);
                    last = "truncate " + len;
                    return Arrays.copyOf(seed, len);
                }
                case 2: {
                    byte[] out = seed.clone();
                    long value = rng.nextBoolean() ? rng.nextLong() : header.length() + rng.nextInt(33) - 16;
                    ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN).putLong(0, value);
                    last = "length " + Long.toUnsignedString(value);
                    return out;
                }
                case 3:
                    return replaceRandom(NUMBER, VALUES, "number");
                case 4:
                    return replaceRandom(DTYPE, DTYPES, "dtype");
                case 5: {
                    String h = header;
                    int at = rng.nextInt(h.length());
                    StringBuilder what = new StringBuilder("edit");
                    if (rng.nextBoolean()) {
                        int len = 1 + rng.nextInt(Math.min(10, h.length() - at));
                        h = h.substring(0, at) + h.substring(at + len);
                        what.append(" delete ").append(at).append('+').append(len);
                    } else {
                        String s = TEXT[rng.nextInt(TEXT.length)];
                        h = h.substring(0, at) + s + h.substring(at);
                        what.append(" insert ").append(s).append(" at ").append(at);
                    }
                    last = what.toString();
                    return frame(h, data);
                }
                default: {
                    // a well-formed header over a longer or shorter data section
                    int delta = rng.nextInt(25) - 12;
                    last = "data " + delta;
                    return frame(header, Arrays.copyOf(data, Math.max(0, data.length + delta)));
                }
            }
        }

        private byte[] replaceRandom(Pattern pattern, String[] replacements, String what) {
            Matcher m = pattern.matcher(header);
            List<int[]> spans = new ArrayList<>();
            while (m.find()) spans.add(new int[]{m.start(), m.end()});
            int[] span = spans.get(rng.nextInt(spans.size()));
            String value = replacements[rng.nextInt(replacements.length)];
            last = what + " at " + span[0] + " -> " + value;
            return frame(header.substring(0, span[0]) + value + header.substring(span[1]), data);
        }

        private static byte[] frame(String header, byte[] data) {
            byte[] h = header.getBytes(StandardCharsets.UTF_8);
            return ByteBuffer.allocate(8 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN)
                    .putLong(h.length).put(h).put(data).array();
        }
    }
}
