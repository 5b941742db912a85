package io.jgrad.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Mutation fuzzing of the parser and decoder, in memory and without a backend: every corrupted file must either be
 * refused with a {@link CheckpointException} or decode to exactly what its bytes say, checked against an
 * independent reading of the header (Gson's tree model) and of the data (ByteBuffer). Any other exception, an
 * error or a hang fails the test. (engine-cpu's SafetensorsFuzzTest repeats this through the public, tensor-level
 * API.)
 */
class SafetensorsHostFuzzTest {
    private static final int FILES = 10_000;

    /** A valid file with every dtype, a 0-d and an empty tensor, NaN payloads and metadata. */
    static byte[] seedFile() {
        List<String> names = List.of("w", "b", "step", "empty", "half", "bhalf");
        List<StoredDtype> dtypes = List.of(StoredDtype.F32, StoredDtype.F64, StoredDtype.I64, StoredDtype.F32,
                StoredDtype.F16, StoredDtype.BF16);
        List<int[]> shapes = List.of(new int[]{2, 3}, new int[]{2}, new int[0], new int[]{0, 4}, new int[]{3}, new int[]{1});
        List<SafetensorsHeader.Entry> layout = SafetensorsHeader.layout(names, dtypes, shapes);
        byte[] header = SafetensorsHeader.encode(layout, Map.of("epoch", "7", "note", "seed"));
        long dataLength = 0;
        for (SafetensorsHeader.Entry e : layout) dataLength = Math.max(dataLength, e.end());
        ByteBuffer out = ByteBuffer.allocate(8 + header.length + (int) dataLength).order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(header.length).put(header);
        // recognisable data: NaN payloads and -0.0 among ordinary values
        SplittableRandom rng = new SplittableRandom(1);
        while (out.hasRemaining()) out.put((byte) rng.nextInt(256));
        int wAt = 8 + header.length + (int) layout.get(0).begin();
        out.putInt(wAt, 0x7fc00123).putInt(wAt + 4, 0x80000000).putInt(wAt + 8, 0xff800001);
        return out.array();
    }

    @Test
    void seedFileDecodes() throws Exception {
        byte[] seed = seedFile();
        assertEquals(6, SafetensorsHeaderTest.decode(seed).size());
        checkAgainstOracle(seed, SafetensorsHeaderTest.decode(seed));
    }

    @Test
    void everyTruncationIsRefused() {
        byte[] seed = seedFile();
        for (int len = 0; len < seed.length; len++) {
            byte[] cut = Arrays.copyOf(seed, len);
            try {
                SafetensorsHeaderTest.decode(cut);
                fail("a file cut to " + len + " of " + seed.length + " bytes was accepted");
            } catch (CheckpointException expected) {
                // refused, as it must be
            } catch (Throwable t) {
                throw new AssertionError("a file cut to " + len + " bytes raised " + t, t);
            }
        }
    }

    @Test
    void mutatedFilesAreRefusedOrDecodedExactly() {
        byte[] seed = seedFile();
        Mutator mutator = new Mutator(seed, new SplittableRandom(20240601));
        int refused = 0;
        int accepted = 0;
        for (int i = 0; i < FILES; i++) {
            byte[] mutated = mutator.next();
            List<HostTensor> decoded;
            try {
                decoded = SafetensorsHeaderTest.decode(mutated);
            } catch (CheckpointException expected) {
                refused++;
                continue;
            } catch (Throwable t) {
                throw new AssertionError("mutation " + i + " (" + mutator.last + ") raised " + t, t);
            }
            accepted++;
            try {
                checkAgainstOracle(mutated, decoded);
            } catch (Throwable t) {
                throw new AssertionError("mutation " + i + " (" + mutator.last + ") decoded wrongly: " + t.getMessage(), t);
            }
        }
        // both outcomes must actually occur, or the mutations are too tame (or too wild) to test anything
        assertTrue(refused > FILES / 2, "refused " + refused);
        assertTrue(accepted > FILES / 50, "accepted " + accepted);
    }

    /** Compares a successful decode with an independent reading of the same bytes. */
    static void checkAgainstOracle(byte[] file, List<HostTensor> decoded) {
        ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        int headerLength = (int) b.getLong(0);
        assertEquals(file.length, 8 + headerLength + dataLength(file, headerLength), "the data section is exactly used");
        JsonObject header = JsonParser.parseString(new String(file, 8, headerLength, StandardCharsets.UTF_8)).getAsJsonObject();
        List<String> names = new ArrayList<>(header.keySet());
        names.remove(SafetensorsHeader.METADATA_KEY);
        assertEquals(names.size(), decoded.size());
        for (int i = 0; i < decoded.size(); i++) {
            HostTensor t = decoded.get(i);
            assertEquals(names.get(i), t.name, "header order");
            JsonObject info = header.getAsJsonObject(t.name);
            JsonArray shape = info.getAsJsonArray("shape");
            int[] expectedShape = new int[shape.size()];
            for (int d = 0; d < expectedShape.length; d++) expectedShape[d] = shape.get(d).getAsInt();
            assertArrayEquals(expectedShape, t.shape);
            long begin = info.getAsJsonArray("data_offsets").get(0).getAsLong();
            int at = 8 + headerLength + (int) begin;
            String dtype = info.get("dtype").getAsString();
            switch (dtype) {
                case "F32": {
                    float[] v = (float[]) t.values;
                    for (int k = 0; k < v.length; k++) assertEquals(b.getInt(at + 4 * k), Float.floatToRawIntBits(v[k]));
                    break;
                }
                case "F64": {
                    double[] v = (double[]) t.values;
                    for (int k = 0; k < v.length; k++) assertEquals(b.getLong(at + 8 * k), Double.doubleToRawLongBits(v[k]));
                    break;
                }
                case "I64": {
                    long[] v = (long[]) t.values;
                    for (int k = 0; k < v.length; k++) assertEquals(b.getLong(at + 8 * k), v[k]);
                    break;
                }
                case "I32": {
                    int[] v = (int[]) t.values;
                    for (int k = 0; k < v.length; k++) assertEquals(b.getInt(at + 4 * k), v[k]);
                    break;
                }
                case "BOOL": {
                    boolean[] v = (boolean[]) t.values;
                    for (int k = 0; k < v.length; k++) assertEquals(b.get(at + k) != 0, v[k]);
                    break;
                }
                case "F16":
                case "BF16": { // the file's bit patterns, unchanged
                    short[] v = (short[]) t.values;
                    for (int k = 0; k < v.length; k++) assertEquals(b.getShort(at + 2 * k), v[k]);
                    break;
                }
                default:
                    fail("accepted unknown dtype " + dtype);
            }
        }
    }

    private static long dataLength(byte[] file, int headerLength) {
        JsonObject header = JsonParser.parseString(new String(file, 8, headerLength, StandardCharsets.UTF_8)).getAsJsonObject();
        long end = 0;
        for (Map.Entry<String, JsonElement> e : header.entrySet()) {
            if (e.getKey().equals(SafetensorsHeader.METADATA_KEY)) continue;
            end = Math.max(end, e.getValue().getAsJsonObject().getAsJsonArray("data_offsets").get(1).getAsLong());
        }
        return end;
    }

    /**
     * Corrupts a valid file in the ways a disk, a network or an attacker would: byte flips anywhere, truncation,
     * a lying length field, and edits of the header text (numbers, dtypes, structure) re-framed with a consistent
     * length so that they reach the JSON and layout checks.
     */
    static final class Mutator {
        private static final String[] NUMBERS = {"-1", "0", "1", "3", "4", "7", "8", "2147483647", "2147483648",
            "4294967296", "9223372036854775807", "9223372036854775808", "18446744073709551615", "1e3", "1.5", "-0",
            "00", "\"5\"", "null", "true", "[]", "{}"};
        private static final String[] DTYPES = {"F32", "F64", "I64", "F16", "BF16", "I32", "U8", "BOOL", "f32", "",
            "F8_E4M3", "\u0000", "F32 "};
        private static final String[] SNIPPETS = {"{", "}", "[", "]", ",", ":", "\"", "\\", "\"__metadata__\"",
            "\"dtype\"", "\"shape\"", "\"data_offsets\"", "\"w\"", " ", "\n", "\u00e9", "\uFFFD", "/*", "'", "nul"};

        private final byte[] seed;
        private final String seedHeader;
        private final byte[] seedData;
        private final SplittableRandom rng;
        String last = "";

        Mutator(byte[] seed, SplittableRandom rng) {
            this.seed = seed;
            this.rng = rng;
            int n = (int) ByteBuffer.wrap(seed).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
            this.seedHeader = new String(seed, 8, n, StandardCharsets.UTF_8);
            this.seedData = Arrays.copyOfRange(seed, 8 + n, seed.length);
        }

        byte[] next() {
            switch (rng.nextInt(9)) {
                case 0:
                    return flipBytes(0, seed.length);
                case 1:
                    int n = (int) ByteBuffer.wrap(seed).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
                    return flipBytes(8, 8 + n);
                case 2: {
                    int len = rng.nextInt(seed.length);
                    last = "truncate to " + len;
                    return Arrays.copyOf(seed, len);
                }
                case 3:
                    return lengthField();
                case 4:
                    return replaceNumber();
                case 5:
                    return replaceDtype();
                case 6:
                    return spliceHeaderText();
                case 7:
                    return swapOffsets();
                default:
                    return resizeData();
            }
        }

        private byte[] flipBytes(int from, int to) {
            byte[] out = seed.clone();
            int flips = 1 + rng.nextInt(3);
            StringBuilder what = new StringBuilder("flip");
            for (int i = 0; i < flips; i++) {
                int at = from + rng.nextInt(to - from);
                int mask = rng.nextBoolean() ? 1 << rng.nextInt(8) : 1 + rng.nextInt(255);
                out[at] ^= (byte) mask;
                what.append(' ').append(at).append("^").append(mask);
            }
            last = what.toString();
            return out;
        }

        private byte[] lengthField() {
            byte[] out = seed.clone();
            long n = ByteBuffer.wrap(seed).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
            long[] choices = {0, 1, n - 1, n + 1, n + 8, seed.length, seed.length - 8, Long.MAX_VALUE, Long.MIN_VALUE, -1,
                Integer.MAX_VALUE, 1L << 32, rng.nextLong()};
            long value = choices[rng.nextInt(choices.length)];
            ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN).putLong(0, value);
            last = "length field " + Long.toUnsignedString(value);
            return out;
        }

        private byte[] replaceNumber() {
            List<int[]> spans = new ArrayList<>();
            for (int i = 0; i < seedHeader.length(); i++) {
                if (Character.isDigit(seedHeader.charAt(i)) && (i == 0 || !Character.isDigit(seedHeader.charAt(i - 1)))) {
                    int j = i;
                    while (j < seedHeader.length() && Character.isDigit(seedHeader.charAt(j))) j++;
                    spans.add(new int[]{i, j});
                }
            }
            int[] span = spans.get(rng.nextInt(spans.size()));
            String number = NUMBERS[rng.nextInt(NUMBERS.length)];
            last = "number at " + span[0] + " -> " + number;
            return reframe(seedHeader.substring(0, span[0]) + number + seedHeader.substring(span[1]), seedData);
        }

        private byte[] replaceDtype() {
            String[] present = {"\"F32\"", "\"F64\"", "\"I64\"", "\"F16\"", "\"BF16\""};
            String from = present[rng.nextInt(present.length)];
            String to = "\"" + DTYPES[rng.nextInt(DTYPES.length)] + "\"";
            last = "dtype " + from + " -> " + to;
            return reframe(seedHeader.replaceFirst(java.util.regex.Pattern.quote(from), java.util.regex.Matcher.quoteReplacement(to)), seedData);
        }

        private byte[] spliceHeaderText() {
            String h = seedHeader;
            int edits = 1 + rng.nextInt(3);
            StringBuilder what = new StringBuilder("splice");
            for (int i = 0; i < edits; i++) {
                int at = rng.nextInt(h.length() + 1);
                int kind = rng.nextInt(3);
                if (kind == 0 && at < h.length()) {
                    int len = 1 + rng.nextInt(Math.min(12, h.length() - at));
                    h = h.substring(0, at) + h.substring(at + len);
                    what.append(" delete ").append(at).append('+').append(len);
                } else if (kind == 1) {
                    String s = SNIPPETS[rng.nextInt(SNIPPETS.length)];
                    h = h.substring(0, at) + s + h.substring(at);
                    what.append(" insert ").append(at).append(' ').append(s);
                } else {
                    // duplicate a stretch of the header, which can repeat names, keys or whole entries
                    int from = rng.nextInt(h.length());
                    int len = 1 + rng.nextInt(Math.min(80, h.length() - from));
                    h = h.substring(0, at) + h.substring(from, from + len) + h.substring(at);
                    what.append(" copy ").append(from).append('+').append(len).append(" to ").append(at);
                }
            }
            last = what.toString();
            return reframe(h, seedData);
        }

        /** Swaps two tensors' data_offsets, which keeps the layout tiled but mismatches sizes or dtypes. */
        private byte[] swapOffsets() {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"data_offsets\":\\[(\\d+),(\\d+)\\]").matcher(seedHeader);
            List<String> offsets = new ArrayList<>();
            while (m.find()) offsets.add(m.group());
            String a = offsets.get(rng.nextInt(offsets.size()));
            String b = offsets.get(rng.nextInt(offsets.size()));
            last = "swap " + a + " with " + b;
            String h = seedHeader.replace(a, "\u0001").replace(b, a).replace("\u0001", b);
            return reframe(h, seedData);
        }

        /** Adds or removes data bytes at the end, with the header intact. */
        private byte[] resizeData() {
            int delta = rng.nextInt(17) - 8;
            last = "data length " + (delta >= 0 ? "+" : "") + delta;
            byte[] data = Arrays.copyOf(seedData, Math.max(0, seedData.length + delta));
            return reframe(seedHeader, data);
        }

        /** A file with this header text (length field made consistent) and data. */
        private static byte[] reframe(String header, byte[] data) {
            byte[] h = header.getBytes(StandardCharsets.UTF_8);
            return ByteBuffer.allocate(8 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN)
                    .putLong(h.length).put(h).put(data).array();
        }
    }
}
