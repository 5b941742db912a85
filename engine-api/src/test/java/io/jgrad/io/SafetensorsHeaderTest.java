package io.jgrad.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgrad.DType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The safetensors header parser and the host-side decoding, on files written here byte by byte. These need no
 * backend; the tensor-level round trips and the fuzzing run in engine-cpu.
 */
class SafetensorsHeaderTest {

    /** A file: little-endian header length, the header as given (no padding added), then the data bytes. */
    static byte[] file(String header, byte... data) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(8 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(h.length).put(h).put(data).array();
    }

    static SafetensorsHeader parse(byte[] bytes) throws IOException {
        return SafetensorsHeader.read(ByteSource.of(ByteBuffer.wrap(bytes)), "test");
    }

    static List<HostTensor> decode(byte[] bytes) throws IOException {
        ByteSource source = ByteSource.of(ByteBuffer.wrap(bytes));
        return HostTensor.decodeAll(source, SafetensorsHeader.read(source, "test"));
    }

    static void assertRefused(byte[] bytes, String expectedMessagePart) {
        CheckpointException e = assertThrows(CheckpointException.class, () -> decode(bytes));
        assertTrue(e.getMessage().contains(expectedMessagePart), "message '" + e.getMessage() + "' lacks '" + expectedMessagePart + "'");
    }

    static String entry(String name, String dtype, String shape, long begin, long end) {
        return "\"" + name + "\":{\"dtype\":\"" + dtype + "\",\"shape\":" + shape + ",\"data_offsets\":[" + begin + "," + end + "]}";
    }

    private static byte[] floatsLE(float... values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) b.putFloat(v);
        return b.array();
    }

    // ------------------------------------------------------------------------------------------------ golden

    /** The golden file of the spec, byte by byte: see SafetensorsGoldenTest in engine-cpu for the writer side. */
    static final String GOLDEN_HEADER = "{\"__metadata__\":{\"epoch\":\"3\"},"
            + "\"weight\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[16,32]},"
            + "\"step\":{\"dtype\":\"I64\",\"shape\":[],\"data_offsets\":[0,8]},"
            + "\"bias\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[8,16]}}"
            + "    "; // 204 bytes of JSON padded with 4 spaces to 208, a multiple of 8

    static byte[] goldenFile() {
        byte[] h = GOLDEN_HEADER.getBytes(StandardCharsets.US_ASCII);
        assertEquals(208, h.length);
        byte[] out = new byte[8 + 208 + 32];
        out[0] = (byte) 0xD0; // 208, little-endian; bytes 1..7 stay 0
        System.arraycopy(h, 0, out, 8, 208);
        byte[] data = {
            0x07, 0, 0, 0, 0, 0, 0, 0,                    // step: int64 7
            0, 0, 0, 0, 0, 0, (byte) 0xD0, 0x3F,          // bias: float64 0.25 = 0x3FD0000000000000
            0, 0, (byte) 0x80, 0x3F,                      // weight: float32 1.0 = 0x3F800000
            0, 0, 0, (byte) 0xC0,                         //         -2.0 = 0xC0000000
            0, 0, 0, 0x3F,                                //          0.5 = 0x3F000000
            0, 0, 0, (byte) 0x80,                         //         -0.0 = 0x80000000
        };
        System.arraycopy(data, 0, out, 216, 32);
        return out;
    }

    @Test
    void readsTheGoldenFile() throws IOException {
        byte[] golden = goldenFile();
        SafetensorsHeader header = parse(golden);
        assertEquals(Map.of("epoch", "3"), header.metadata);
        assertEquals(216, header.dataStart);
        List<HostTensor> tensors = decode(golden);
        assertEquals(3, tensors.size());
        HostTensor weight = tensors.get(0);
        assertEquals("weight", weight.name);
        assertEquals(DType.FLOAT32, weight.dtype);
        assertArrayEquals(new int[]{2, 2}, weight.shape);
        float[] w = (float[]) weight.values;
        assertArrayEquals(new float[]{1f, -2f, 0.5f, -0f}, w);
        assertEquals(0x80000000, Float.floatToRawIntBits(w[3]), "-0.0 keeps its sign");
        HostTensor step = tensors.get(1);
        assertEquals("step", step.name);
        assertEquals(DType.INT64, step.dtype);
        assertArrayEquals(new int[0], step.shape);
        assertArrayEquals(new long[]{7}, (long[]) step.values);
        HostTensor bias = tensors.get(2);
        assertEquals(DType.FLOAT64, bias.dtype);
        assertArrayEquals(new double[]{0.25}, (double[]) bias.values);
    }

    @Test
    void encodesTheGoldenHeader() {
        List<SafetensorsHeader.Entry> layout = SafetensorsHeader.layout(
                List.of("weight", "step", "bias"),
                List.of(StoredDtype.F32, StoredDtype.I64, StoredDtype.F64),
                List.of(new int[]{2, 2}, new int[0], new int[]{1}));
        // 8-byte types first (step, bias) keep every tensor aligned to its element size
        assertEquals(16, layout.get(0).begin());
        assertEquals(0, layout.get(1).begin());
        assertEquals(8, layout.get(2).begin());
        byte[] header = SafetensorsHeader.encode(layout, Map.of("epoch", "3"));
        assertEquals(GOLDEN_HEADER, new String(header, StandardCharsets.US_ASCII));
    }

    @Test
    void encodesNamesThatNeedEscapingAndReadsThemBack() throws IOException {
        String name = "a\"b\\c\n\u00e9\u2028\u0001";
        List<SafetensorsHeader.Entry> layout = SafetensorsHeader.layout(List.of(name), List.of(StoredDtype.F32), List.of(new int[]{1}));
        byte[] header = SafetensorsHeader.encode(layout, Map.of("k\"", "v\u00e9"));
        assertEquals(0, header.length % 8);
        byte[] bytes = ByteBuffer.allocate(8 + header.length + 4).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(header.length).put(header).put(floatsLE(3f)).array();
        SafetensorsHeader parsed = parse(bytes);
        assertEquals(name, parsed.entries.get(0).name());
        assertEquals(Map.of("k\"", "v\u00e9"), parsed.metadata);
    }

    // ------------------------------------------------------------------------------------------------ valid edge cases

    @Test
    void acceptsEmptyHeaderScalarsAndEmptyTensors() throws IOException {
        assertEquals(0, decode(file("{}")).size());
        assertEquals(0, decode(file("{}      ")).size(), "space padding");
        List<HostTensor> t = decode(file("{" + entry("s", "F32", "[]", 0, 4) + ","
                + entry("e", "F64", "[0,3]", 4, 4) + "," + entry("z", "I64", "[2,0]", 4, 4) + "}", floatsLE(2.5f)));
        assertArrayEquals(new float[]{2.5f}, (float[]) t.get(0).values);
        assertEquals(0, ((double[]) t.get(1).values).length);
        assertArrayEquals(new int[]{0, 3}, t.get(1).shape);
        assertEquals(0, ((long[]) t.get(2).values).length);
    }

    @Test
    void ignoresUnknownFieldsAndAcceptsAnyKeyOrder() throws IOException {
        List<HostTensor> t = decode(file("{\"x\":{\"data_offsets\":[0,4],\"extra\":{\"deep\":[1,[2]]},\"shape\":[1],\"dtype\":\"F32\"}}",
                floatsLE(-1f)));
        assertArrayEquals(new float[]{-1f}, (float[]) t.get(0).values);
    }

    @Test
    void readsTensorsStoredOutOfHeaderOrder() throws IOException {
        List<HostTensor> t = decode(file("{" + entry("late", "F32", "[1]", 4, 8) + "," + entry("early", "F32", "[1]", 0, 4) + "}",
                floatsLE(1f, 2f)));
        assertEquals("late", t.get(0).name);
        assertArrayEquals(new float[]{2f}, (float[]) t.get(0).values);
        assertArrayEquals(new float[]{1f}, (float[]) t.get(1).values);
    }

    @Test
    void keepsNanPayloadsBitExact() throws IOException {
        int[] bits = {0x7fc00001, 0xffbfffff, 0x7f800001, 0x7f800000, 0x80000000, 0x00000001};
        ByteBuffer data = ByteBuffer.allocate(4 * bits.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int b : bits) data.putInt(b);
        float[] v = (float[]) decode(file("{" + entry("n", "F32", "[6]", 0, 24) + "}", data.array())).get(0).values;
        for (int i = 0; i < bits.length; i++) assertEquals(bits[i], Float.floatToRawIntBits(v[i]), "element " + i);
    }

    // ------------------------------------------------------------------------------------------------ half precision

    @Test
    void widensHalfPrecisionExactly() {
        assertEquals(1.0f, StoredDtype.halfToFloat((short) 0x3C00));
        assertEquals(-2.0f, StoredDtype.halfToFloat((short) 0xC000));
        assertEquals(65504f, StoredDtype.halfToFloat((short) 0x7BFF), "largest half");
        assertEquals(0x1p-14f, StoredDtype.halfToFloat((short) 0x0400), "smallest normal");
        assertEquals(0x1p-24f, StoredDtype.halfToFloat((short) 0x0001), "smallest subnormal");
        assertEquals(1023 * 0x1p-24f, StoredDtype.halfToFloat((short) 0x03FF), "largest subnormal");
        assertEquals(0.333251953125f, StoredDtype.halfToFloat((short) 0x3555));
        assertEquals(Float.POSITIVE_INFINITY, StoredDtype.halfToFloat((short) 0x7C00));
        assertEquals(Float.NEGATIVE_INFINITY, StoredDtype.halfToFloat((short) 0xFC00));
        assertEquals(0x80000000, Float.floatToRawIntBits(StoredDtype.halfToFloat((short) 0x8000)), "-0");
        assertTrue(Float.isNaN(StoredDtype.halfToFloat((short) 0x7E00)));
        assertTrue(Float.isNaN(StoredDtype.halfToFloat((short) 0x7C01)), "signalling NaN stays NaN, not infinity");
        assertEquals(1.0f, StoredDtype.bfloat16ToFloat((short) 0x3F80));
        assertEquals(-3.0f, StoredDtype.bfloat16ToFloat((short) 0xC040));
        assertEquals(Float.intBitsToFloat(0x7F7F0000), StoredDtype.bfloat16ToFloat((short) 0x7F7F), "largest bf16");
    }

    @Test
    void exhaustiveHalfConversionAgreesWithAFloatReference() {
        for (int h = 0; h < 65536; h++) {
            float f = StoredDtype.halfToFloat((short) h);
            int exponent = (h >>> 10) & 0x1f;
            int mantissa = h & 0x3ff;
            double sign = (h & 0x8000) != 0 ? -1 : 1;
            if (exponent == 31) {
                assertTrue(mantissa == 0 ? Float.isInfinite(f) : Float.isNaN(f), "half 0x" + Integer.toHexString(h));
                continue;
            }
            // the textbook definition, evaluated in double
            double expected = exponent == 0 ? sign * mantissa * Math.pow(2, -24)
                    : sign * (1 + mantissa / 1024.0) * Math.pow(2, exponent - 15);
            assertEquals(expected, f, 0.0, "half 0x" + Integer.toHexString(h));
        }
    }

    @Test
    void decodesF16AndBf16FilesToTheirOwnBits() throws IOException {
        byte[] data = {0x00, 0x3C, 0x00, (byte) 0xC0, (byte) 0x80, 0x3F, 0x40, (byte) 0xC0}; // f16 1, -2; bf16 1, -3
        List<HostTensor> t = decode(file("{" + entry("h", "F16", "[2]", 0, 4) + "," + entry("b", "BF16", "[2]", 4, 8) + "}", data));
        assertEquals(DType.FLOAT16, t.get(0).dtype);
        assertEquals(DType.BFLOAT16, t.get(1).dtype);
        assertArrayEquals(new short[]{0x3C00, (short) 0xC000}, (short[]) t.get(0).values);
        assertArrayEquals(new short[]{0x3F80, (short) 0xC040}, (short[]) t.get(1).values);
    }

    // ------------------------------------------------------------------------------------------------ refusals

    @Test
    void refusesBadLengthFields() {
        assertRefused(new byte[0], "too short");
        assertRefused(new byte[7], "too short");
        byte[] f = file("{}");
        f[0] = 1; // claims 1 byte of header: the JSON is "{" alone
        assertRefused(f, "not valid JSON");
        f[0] = 100;
        assertRefused(f, "exceeds the 2 bytes");
        byte[] huge = file("{}");
        for (int i = 0; i < 8; i++) huge[i] = (byte) 0xff; // 2^64 - 1, negative as a Java long
        assertRefused(huge, "18446744073709551615");
        byte[] zero = file("{}");
        zero[0] = 0;
        assertRefused(zero, "does not start with '{'");
    }

    @Test
    void refusesMalformedJson() {
        assertRefused(file(" {}"), "does not start with '{'");
        assertRefused(file("[1,2]"), "does not start with '{'");
        assertRefused(file("{\"a\":}"), "not valid JSON");
        assertRefused(file("{\"a\":1,}"), "tensor 'a' must be an object");
        assertRefused(file("{/*c*/}"), "not valid JSON");
        assertRefused(file("{a:{}}"), "not valid JSON");
        assertRefused(file("{'a':{}}"), "not valid JSON");
        assertRefused(file("{} x"), "not valid JSON");
        assertRefused(file("{}{}"), "not valid JSON");
        assertRefused(file("{\"__metadata__\":{\"k\":\"\\uZZZZ\"}}"), "not valid JSON");
        assertRefused(file("{\"__metadata__\":{\"k\":\"unterminated}}"), "not valid JSON");
        byte[] badUtf8 = file("{\"__metadata__\":{\"k\":\"..\"}}");
        badUtf8[8 + 22] = (byte) 0xC3; // a lone lead byte
        badUtf8[8 + 23] = (byte) 0x28;
        assertRefused(badUtf8, "not valid UTF-8");
    }

    @Test
    void refusesDeepNestingButAcceptsBracketsInStrings() throws IOException {
        String deep = "[".repeat(65) + "]".repeat(65);
        assertRefused(file("{\"a\":{\"x\":" + deep + "}}"), "nests deeper than 64");
        String fine = "[".repeat(60) + "]".repeat(60);
        byte[] four = floatsLE(1f);
        assertEquals(1, decode(file("{\"a\":{\"x\":" + fine + ",\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", four)).size());
        // brackets and escaped quotes inside strings do not count
        String name = "[[[\\\"{{{" + "[".repeat(100);
        assertEquals(1, decode(file("{\"" + name + "\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", four)).size());
    }

    @Test
    void refusesBadMetadata() {
        assertRefused(file("{\"__metadata__\":[]}"), "'__metadata__' must be an object");
        assertRefused(file("{\"__metadata__\":{\"k\":1}}"), "metadata value 'k' must be a string");
        assertRefused(file("{\"__metadata__\":{\"k\":null}}"), "metadata value 'k' must be a string");
        assertRefused(file("{\"__metadata__\":{\"k\":\"a\",\"k\":\"b\"}}"), "duplicate metadata key 'k'");
        assertRefused(file("{\"__metadata__\":{},\"__metadata__\":{}}"), "duplicate entry '__metadata__'");
    }

    @Test
    void refusesBadEntries() {
        byte[] four = floatsLE(1f);
        assertRefused(file("{" + entry("a", "F32", "[1]", 0, 4) + "," + entry("a", "F32", "[1]", 0, 4) + "}", four),
                "duplicate entry 'a'");
        assertRefused(file("{\"a\":{\"shape\":[1],\"data_offsets\":[0,4]}}", four), "tensor 'a' has no 'dtype'");
        assertRefused(file("{\"a\":{\"dtype\":\"F32\",\"data_offsets\":[0,4]}}", four), "has no 'shape'");
        assertRefused(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1]}}", four), "has no 'data_offsets'");
        assertRefused(file("{\"a\":{\"dtype\":\"F32\",\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", four), "two 'dtype'");
        assertRefused(file("{\"a\":{\"dtype\":32,\"shape\":[1],\"data_offsets\":[0,4]}}", four), "dtype must be a string");
        assertRefused(file("{" + entry("a", "U32", "[1]", 0, 4) + "}", four), "dtype 'U32', which jgrad cannot load");
        assertRefused(file("{" + entry("a", "f32", "[1]", 0, 4) + "}", four), "dtype 'f32'");
        assertRefused(file("{" + entry("a", "F32", "1", 0, 4) + "}", four), "shape must be an array");
        assertRefused(file("{" + entry("a", "F32", "[\"1\"]", 0, 4) + "}", four), "shape element 0 must be a number");
        assertRefused(file("{" + entry("a", "F32", "[-1]", 0, 4) + "}", four), "shape element 0 is negative");
        assertRefused(file("{" + entry("a", "F32", "[1.0]", 0, 4) + "}", four), "is not an integer");
        assertRefused(file("{" + entry("a", "F32", "[1e0]", 0, 4) + "}", four), "is not an integer");
        assertRefused(file("{" + entry("a", "F32", "[null]", 0, 4) + "}", four), "must be a number");
        assertRefused(file("{" + entry("a", "F32", "[99999999999999999999]", 0, 4) + "}", four), "too large");
        assertRefused(file("{" + entry("a", "F32", "[2147483648]", 0, 4) + "}", four), "more than jgrad's limit");
        assertRefused(file("{" + entry("a", "F32", "[2147483647,2147483647,2147483647]", 0, 4) + "}", four), "too many for one tensor");
        assertRefused(file("{" + entry("a", "F32", "[2]", 0, 4) + "}", four), "spans 4 bytes but F32 [2] needs 8");
        assertRefused(file("{" + entry("a", "F32", "[1]", 4, 0) + "}", four), "end before they begin");
        assertRefused(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0]}}", four), "must be [begin, end]");
        assertRefused(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4,8]}}", four), "must be [begin, end]");
        assertRefused(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[-4,0]}}", four), "is negative");
    }

    @Test
    void refusesRangesThatDoNotTileTheData() {
        byte[] eight = floatsLE(1f, 2f);
        assertRefused(file("{" + entry("a", "F32", "[1]", 0, 4) + "}", eight), "4 bytes of data after the last tensor");
        assertRefused(file("{" + entry("a", "F32", "[2]", 0, 8) + "}", floatsLE(1f)), "tensors need 8 bytes of data but the file has 4");
        assertRefused(file("{" + entry("a", "F32", "[1]", 4, 8) + "}", eight), "gap of 4 bytes");
        assertRefused(file("{" + entry("a", "F32", "[2]", 0, 8) + "," + entry("b", "F32", "[1]", 4, 8) + "}", eight), "overlap");
        assertRefused(file("{" + entry("a", "F32", "[1]", 0, 4) + "," + entry("b", "F32", "[1]", 0, 4) + "}", eight), "overlap");
        // offsets near 2^63: the size check must not overflow into acceptance
        assertRefused(file("{" + entry("a", "F32", "[1]", Long.MAX_VALUE - 4, Long.MAX_VALUE) + "}", four()), "gap of");
        assertRefused(file("{" + entry("a", "F32", "[0]", Long.MAX_VALUE, Long.MAX_VALUE) + "}"), "gap of");
    }

    private static byte[] four() {
        return floatsLE(0f);
    }
}
