package io.jgrad.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The committed PTX matches what the Java side launches, and loads on CUDA 12.0+ drivers. */
class PtxResourcesTest {
    private static final Pattern VERSION = Pattern.compile("(?m)^\\.version (\\d+)\\.(\\d+)$");
    private static final Pattern TARGET = Pattern.compile("(?m)^\\.target (sm_\\d+)$");
    // .visible .entry name(\n\t.param .align 8 .b8 name_param_0[344]\n)
    private static final Pattern ENTRY = Pattern.compile("\\.visible \\.entry (\\w+)\\(([^)]*)\\)");
    private static final Pattern PARAM = Pattern.compile("\\.param \\.align \\d+ \\.b8 \\w+\\[(\\d+)\\]");

    private static String ptx(Kernel.Module m) {
        return new String(KernelModules.ptx(m), StandardCharsets.US_ASCII);
    }

    @Test
    void everyModuleIsPtxIsa80OrOlderForTuring() {
        for (Kernel.Module m : Kernel.Module.values()) {
            String text = ptx(m);
            Matcher v = VERSION.matcher(text);
            assertTrue(v.find(), m.fileName() + " has no .version line");
            int version = Integer.parseInt(v.group(1)) * 10 + Integer.parseInt(v.group(2));
            assertTrue(version <= 80, m.fileName() + " is PTX ISA " + v.group(1) + "." + v.group(2) + "; CUDA 12.0 drivers need <= 8.0");
            Matcher t = TARGET.matcher(text);
            assertTrue(t.find(), m.fileName() + " has no .target line");
            assertEquals("sm_75", t.group(1), m.fileName() + " must be built for compute_75 so it JITs on every GPU from Turing on");
        }
    }

    @Test
    void everyLaunchedKernelExistsWithItsArgumentSize() {
        Map<String, Integer> entries = new HashMap<>();
        for (Kernel.Module m : Kernel.Module.values()) {
            Matcher e = ENTRY.matcher(ptx(m));
            while (e.find()) {
                Matcher p = PARAM.matcher(e.group(2));
                int params = 0;
                int bytes = -1;
                while (p.find()) {
                    params++;
                    bytes = Integer.parseInt(p.group(1));
                }
                assertEquals(1, params, e.group(1) + " should take exactly one struct parameter");
                entries.put(m + "/" + e.group(1), bytes);
            }
        }
        for (Kernel k : Kernel.values()) {
            Integer bytes = entries.remove(k.module + "/" + k.entry);
            assertNotNull(bytes, k.entry + " is launched by the Java code but missing from " + k.module.fileName());
            assertEquals(k.argBytes, bytes, k.entry + ": the Java struct size and the PTX parameter size differ");
        }
        if (!entries.isEmpty()) fail("PTX entries that no Kernel constant launches: " + new TreeSet<>(entries.keySet()));
    }

    @Test
    void kernelVariantsAreFoundByDtype() {
        assertEquals(Kernel.COPY_F32_I64, Kernel.of("COPY", io.jgrad.DType.FLOAT32, io.jgrad.DType.INT64));
        assertEquals(Kernel.REDUCE_BLOCK_I64, Kernel.of("REDUCE_BLOCK", io.jgrad.DType.INT64));
        assertEquals(Kernel.CROSS_ENTROPY_GRAD_F64, Kernel.of("CROSS_ENTROPY_GRAD", io.jgrad.DType.FLOAT64));
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Kernel.of("UNARY", io.jgrad.DType.INT64));
        assertTrue(e.getMessage().contains("unary") && e.getMessage().contains("int64"), e.getMessage());
    }
}
