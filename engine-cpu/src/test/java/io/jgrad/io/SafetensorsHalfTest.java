package io.jgrad.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jgrad.Backends;
import io.jgrad.DType;
import io.jgrad.Device;
import io.jgrad.Generator;
import io.jgrad.HalfFloat;
import io.jgrad.Shape;
import io.jgrad.Tensor;
import io.jgrad.nn.Linear;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * F16 and BF16 safetensors, native both ways: PyTorch's bits load as float16 and bfloat16 tensors unchanged, and
 * jgrad writes exactly the bytes PyTorch reads back bit for bit (scripts/reference/half_safetensors.py wrote the file
 * from torch's tensors in the layout jgrad's writer uses, and read it back with torch.frombuffer).
 */
class SafetensorsHalfTest {

    /** h: F16 [2, 3] = [1, -0, 65504, 6e-8, inf, nan]; b: BF16 [4] = [3.14159, -1e38, 1e-40, -inf], as torch rounds them. */
    private static final String GOLDEN = "78000000000000007b2268223a7b226474797065223a22463136222c227368617065223a5b322c335d2c2264"
            + "6174615f6f666673657473223a5b302c31325d7d2c2262223a7b226474797065223a2242463136222c227368617065223a5b345d2c2264"
            + "6174615f6f666673657473223a5b31322c32305d7d7d20202020202020003c0080ff7b0100007c007e494096fe010080ff";
    private static final short[] H = {0x3c00, (short) 0x8000, 0x7bff, 0x0001, 0x7c00, 0x7e00};
    private static final short[] B = {0x4049, (short) 0xfe96, 0x0001, (short) 0xff80};

    @BeforeEach
    void useCpu() {
        Backends.setDefaultDevice(Device.CPU);
    }

    @AfterEach
    void reset() {
        Backends.setDefaultDevice(null);
    }

    private static Map<String, Tensor> tensors() {
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("h", Tensor.ofHalfBits(H, DType.FLOAT16, 2, 3));
        m.put("b", Tensor.ofHalfBits(B, DType.BFLOAT16, 4));
        return m;
    }

    @Test
    void readsPyTorchsHalfTensorsNatively() throws CheckpointException {
        Safetensors.Contents c = Safetensors.read(ByteBuffer.wrap(HexFormat.of().parseHex(GOLDEN)));
        Tensor h = c.tensors().get("h"), b = c.tensors().get("b");
        assertEquals(DType.FLOAT16, h.dtype());
        assertEquals(Shape.of(2, 3), h.shape());
        assertArrayEquals(H, h.toHalfBits());
        assertEquals(DType.BFLOAT16, b.dtype());
        assertArrayEquals(B, b.toHalfBits());
        assertEquals(65504f, h.toFloatArray()[2]);
        assertEquals(3.140625f, b.toFloatArray()[0]);
    }

    @Test
    void writesTheBytesPyTorchReads() {
        assertArrayEquals(HexFormat.of().parseHex(GOLDEN), Safetensors.toBytes(tensors(), Map.of()));
    }

    @Test
    void everyBitPatternRoundTripsThroughAFile(@TempDir Path dir) throws Exception {
        short[] all = new short[65536];
        for (int i = 0; i < all.length; i++) all[i] = (short) i; // signalling NaNs and payloads included
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("f16", Tensor.ofHalfBits(all, DType.FLOAT16, 256, 256));
        m.put("bf16", Tensor.ofHalfBits(all, DType.BFLOAT16, 65536));
        Path file = dir.resolve("all.safetensors");
        Safetensors.write(file, m, Map.of());
        assertEquals(8 + 2 * 2 * 65536, Files.size(file) - headerLength(file));
        Safetensors.Contents c = Safetensors.read(file);
        assertArrayEquals(all, c.tensors().get("f16").toHalfBits());
        assertArrayEquals(all, c.tensors().get("bf16").toHalfBits());
    }

    private static long headerLength(Path file) throws Exception {
        byte[] b = Files.readAllBytes(file);
        return ByteBuffer.wrap(b, 0, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
    }

    @Test
    void aBfloat16CheckpointLoadsIntoFloat32ParametersWhenAskedTo(@TempDir Path dir) throws Exception {
        Linear half = new Linear(3, 2, true, new Generator(9));
        half.to(DType.BFLOAT16);
        Path file = dir.resolve("bf16.safetensors");
        Safetensors.write(file, half.stateDict(), Map.of());
        Map<String, Tensor> loaded = Safetensors.read(file).tensors();
        assertEquals(DType.BFLOAT16, loaded.get("weight").dtype());
        Linear full = new Linear(3, 2, true, new Generator(1));
        assertThrows(IllegalArgumentException.class, () -> full.loadStateDict(loaded, true, false), "dtypes differ");
        full.loadStateDict(loaded, true, true);
        assertEquals(DType.FLOAT32, full.weight().dtype());
        short[] bits = half.weight().toHalfBits();
        float[] w = full.weight().toFloatArray();
        for (int i = 0; i < w.length; i++) assertEquals(HalfFloat.bfloat16ToFloat(bits[i]), w[i], 0f, "weight " + i);
    }
}
