package io.jgrad.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jgrad.Backends;
import io.jgrad.DType;
import io.jgrad.Device;
import io.jgrad.Tensor;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A safetensors file written by hand from the format's specification, byte by byte: the writer must produce exactly
 * these bytes and the reader must read them. A file written by Python's safetensors is read too.
 */
class SafetensorsGoldenTest {

    @BeforeEach
    void useCpu() {
        Backends.setDefaultDevice(Device.CPU);
    }

    @AfterEach
    void reset() {
        Backends.setDefaultDevice(null);
    }

    /**
     * weight: F32 [2, 2] = [[1, -2], [0.5, -0]], step: I64 [] = 7, bias: F64 [1] = [0.25], metadata epoch = "3".
     * The header lists them in insertion order; the data section holds the 8-byte types first (step, bias), then
     * weight, so that each tensor is aligned to its element size.
     */
    private static byte[] golden() {
        String json = "{\"__metadata__\":{\"epoch\":\"3\"},"
                + "\"weight\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[16,32]},"
                + "\"step\":{\"dtype\":\"I64\",\"shape\":[],\"data_offsets\":[0,8]},"
                + "\"bias\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[8,16]}}";
        byte[] header = json.getBytes(StandardCharsets.US_ASCII);
        assertEquals(204, header.length);
        byte[] file = new byte[248];
        // header length 208 (204 bytes of JSON + 4 spaces of padding to a multiple of 8), little-endian
        file[0] = (byte) 0xD0;
        System.arraycopy(header, 0, file, 8, 204);
        file[212] = ' ';
        file[213] = ' ';
        file[214] = ' ';
        file[215] = ' ';
        int d = 216;
        file[d] = 0x07;                                     // step = 7 (int64 LE), bytes 216..223
        file[d + 14] = (byte) 0xD0;                         // bias = 0.25 = 0x3FD0000000000000, bytes 224..231
        file[d + 15] = 0x3F;
        file[d + 18] = (byte) 0x80;                         // 1.0f = 0x3F800000, bytes 232..235
        file[d + 19] = 0x3F;
        file[d + 23] = (byte) 0xC0;                         // -2.0f = 0xC0000000
        file[d + 27] = 0x3F;                                // 0.5f = 0x3F000000
        file[d + 31] = (byte) 0x80;                         // -0.0f = 0x80000000
        return file;
    }

    private static Map<String, Tensor> goldenTensors() {
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("weight", Tensor.of(new float[]{1, -2, 0.5f, -0f}, 2, 2));
        m.put("step", Tensor.of(new long[]{7}, 1).reshape());
        m.put("bias", Tensor.of(new double[]{0.25}));
        return m;
    }

    @Test
    void writerProducesTheGoldenBytes() {
        assertArrayEquals(golden(), Safetensors.toBytes(goldenTensors(), Map.of("epoch", "3")));
    }

    @Test
    void readerReadsTheGoldenBytes() throws CheckpointException {
        Safetensors.Contents c = Safetensors.read(ByteBuffer.wrap(golden()));
        assertEquals(List.of("weight", "step", "bias"), List.copyOf(c.tensors().keySet()));
        assertEquals(Map.of("epoch", "3"), c.metadata());
        Tensor weight = c.tensors().get("weight");
        assertEquals(DType.FLOAT32, weight.dtype());
        assertEquals(io.jgrad.Shape.of(2, 2), weight.shape());
        float[] w = weight.toFloatArray();
        assertArrayEquals(new float[]{1, -2, 0.5f, -0f}, w);
        assertEquals(0x80000000, Float.floatToRawIntBits(w[3]));
        Tensor step = c.tensors().get("step");
        assertEquals(DType.INT64, step.dtype());
        assertEquals(0, step.dim());
        assertEquals(7, step.toLongArray()[0]);
        assertArrayEquals(new double[]{0.25}, c.tensors().get("bias").toDoubleArray());
    }

    /**
     * The same tensors as written by Python: {@code safetensors.numpy.save({"weight": ..., "step": ..., "bias": ...},
     * metadata={"epoch": "3"})} with safetensors 0.8.0, which orders the header by data offset.
     */
    @Test
    void readsAFileWrittenByPythonSafetensors() throws CheckpointException {
        String hex = "d000000000000000"
                + HexFormat.of().formatHex(("{\"__metadata__\":{\"epoch\":\"3\"},"
                + "\"step\":{\"dtype\":\"I64\",\"shape\":[],\"data_offsets\":[0,8]},"
                + "\"bias\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[8,16]},"
                + "\"weight\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[16,32]}}    ").getBytes(StandardCharsets.US_ASCII))
                + "0700000000000000" + "000000000000d03f" + "0000803f000000c00000003f00000080";
        Safetensors.Contents c = Safetensors.read(ByteBuffer.wrap(HexFormat.of().parseHex(hex)));
        assertEquals(List.of("step", "bias", "weight"), List.copyOf(c.tensors().keySet()));
        for (Map.Entry<String, Tensor> e : goldenTensors().entrySet()) {
            Tensor actual = c.tensors().get(e.getKey());
            assertEquals(e.getValue().shape(), actual.shape());
            assertArrayEquals(e.getValue().toDoubleArray(), actual.toDoubleArray());
        }
    }
}
