package io.jgrad.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.jgrad.DType;
import io.jgrad.spi.BinaryOp;
import io.jgrad.spi.ReduceOp;
import io.jgrad.spi.UnaryOp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The op and dtype numbers that Java sends are the ones the .cu sources switch on. */
class KernelSourcesTest {
    private static final Pattern CONSTANT = Pattern.compile("\\b([URBD]T?_\\w+) = (\\d+)");
    private static final Map<String, Integer> CODES = new HashMap<>();

    @BeforeAll
    static void readSources() throws IOException {
        Path dir = Path.of("src/main/cuda");
        if (!Files.isDirectory(dir)) dir = Path.of("engine-cuda/src/main/cuda"); // run from the repository root
        Assumptions.assumeTrue(Files.isDirectory(dir), "the .cu sources are not here (running from a bundle?)");
        for (String file : new String[]{"ops.cuh", "common.cuh", "elementwise.cu", "reduce.cu"}) {
            Matcher m = CONSTANT.matcher(Files.readString(dir.resolve(file)));
            while (m.find()) CODES.put(m.group(1), Integer.parseInt(m.group(2)));
        }
    }

    private static int code(String name) {
        Integer c = CODES.get(name);
        assertNotNull(c, name + " is not defined in the CUDA sources");
        return c;
    }

    @Test
    void unaryCodes() {
        for (UnaryOp op : UnaryOp.values()) assertEquals(code("U_" + op.name()), OpCodes.unary(op), op.name());
        assertEquals(code("U_IDENTITY"), OpCodes.UNARY_IDENTITY);
    }

    @Test
    void binaryCodes() {
        for (BinaryOp op : BinaryOp.values()) assertEquals(code("B_" + op.name()), OpCodes.binary(op), op.name());
    }

    @Test
    void reduceCodes() {
        for (ReduceOp op : ReduceOp.values()) assertEquals(code("R_" + op.name()), OpCodes.reduce(op), op.name());
    }

    @Test
    void dtypeCodes() {
        for (DType t : DType.values()) assertEquals(code("DT_" + Kernel.suffix(t)), OpCodes.dtype(t), t.name());
    }
}
