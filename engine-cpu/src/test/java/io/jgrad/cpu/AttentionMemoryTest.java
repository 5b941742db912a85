package io.jgrad.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgrad.Attention;
import io.jgrad.Generator;
import io.jgrad.Tensor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The fused attention's memory grows with the sequence length T, not T^2, shown where it matters: in a JVM with a
 * 48 MB heap, a causal forward and backward pass at T = 4096 (one head of 16 dimensions) runs fused, while the
 * composed reference, which stores [T, T] probabilities (64 MB each in float32), runs out of memory.
 */
class AttentionMemoryTest {
    static final int T = 4096;

    /** The child JVM: one pass, fused or reference; exit 0 when it completes. */
    public static void main(String[] args) {
        boolean fused = args[0].equals("fused");
        Generator gen = new Generator(1);
        Tensor q = Tensor.randn(gen, 1, T, 16).requiresGrad(true);
        Tensor k = Tensor.randn(gen, 1, T, 16).requiresGrad(true);
        Tensor v = Tensor.randn(gen, 1, T, 16).requiresGrad(true);
        Tensor out = fused
                ? Attention.scaledDotProductAttention(q, k, v, null, 0, true)
                : Attention.reference(q, k, v, null, 0, true, 0.25, gen);
        out.sum().backward();
        double check = q.grad().sum().item() + k.grad().sum().item() + v.grad().sum().item();
        System.out.println(Double.isFinite(check) ? "finite gradients" : "non-finite gradients");
    }

    private static Result child(String mode) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx48m");
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) cmd.add("--add-modules=jdk.incubator.vector");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(AttentionMemoryTest.class.getName());
        cmd.add(mode);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Result(p.waitFor(), output);
    }

    private record Result(int exit, String output) {
    }

    @Test
    void fusedAttentionRunsInAHeapWhereTheTByTMatrixCannotFit() throws Exception {
        Result fused = child("fused");
        assertEquals(0, fused.exit(), fused.output());
        assertTrue(fused.output().contains("finite gradients") && !fused.output().contains("non-finite"), fused.output());
        Result reference = child("reference");
        assertNotEquals(0, reference.exit(), "the reference should not fit in 48 MB at T = " + T + ": " + reference.output());
        assertTrue(reference.output().contains("OutOfMemoryError") || reference.output().contains("out of memory"), reference.output());
    }
}
