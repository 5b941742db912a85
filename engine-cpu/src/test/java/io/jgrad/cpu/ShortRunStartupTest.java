package io.jgrad.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgrad.DType;
import io.jgrad.Tensor;
import io.jgrad.nn.LayerNorm;
import io.jgrad.nn.Linear;
import io.jgrad.nn.Losses;
import io.jgrad.optim.AdamW;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * A short run with the Vector API module loaded never creates a vector species: the scalar twins, which such a run
 * uses alone, know their lane count without one, so the run does not pay the ~0.1 s of class initialisation that
 * creating the species costs in a cold JVM (docs/DESIGN.md, "The Vector API and a short run"). Checked in a fresh
 * JVM, since this one has long since created them; the control run, with the vector loops from the first call, must
 * create them, so the check can fail.
 */
class ShortRunStartupTest {
    /** Loaded only when a float species is created. */
    private static final String SPECIES_CLASS = "jdk.incubator.vector.FloatVector$FloatSpecies";

    @Test
    void aShortRunOnTheTwinsCreatesNoVectorSpecies() throws Exception {
        Assumptions.assumeTrue(ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent(),
                "the JVM runs without jdk.incubator.vector");
        String gated = run("on");
        assertTrue(gated.contains("short run done"), gated);
        assertFalse(gated.contains(SPECIES_CLASS), "the twins created a vector species:\n" + species(gated));
        String vector = run("off");
        assertTrue(vector.contains("short run done"), vector);
        assertTrue(vector.contains(SPECIES_CLASS), "the control run (vector loops from the first call) created no species");
    }

    private static String species(String log) {
        StringBuilder b = new StringBuilder();
        for (String line : log.split("\n")) if (line.contains("jdk.incubator.vector")) b.append(line).append('\n');
        return b.toString();
    }

    private static String run(String warmup) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("--add-modules");
        cmd.add("jdk.incubator.vector");
        cmd.add("-Djgrad.cpu.warmup=" + warmup);
        cmd.add("-Xlog:class+load=info:stdout");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(ShortRun.class.getName());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the child JVM did not finish");
        String log = new String(out, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), log);
        return log;
    }

    /** A few steps of a small model through most CPU kernels: GEMM, element-wise, reductions, softmax, Adam. */
    public static final class ShortRun {
        public static void main(String[] args) {
            Tensor.manualSeed(1);
            Linear first = new Linear(16, 32), second = new Linear(32, 10);
            LayerNorm norm = new LayerNorm(32);
            List<Tensor> params = new ArrayList<>();
            params.addAll(first.parameters());
            params.addAll(norm.parameters());
            params.addAll(second.parameters());
            AdamW opt = new AdamW(params, 1e-2);
            Tensor x = Tensor.randn(64, 16);
            Tensor y = Tensor.randint(0, 10, 64);
            for (int step = 0; step < 3; step++) {
                Tensor h = norm.forward(first.forward(x).gelu()).relu().add(first.forward(x).sigmoid());
                Tensor logits = second.forward(h.exp().log().tanh());
                Tensor loss = Losses.crossEntropy(logits, y).add(logits.softmax(1).max().mul(0).sum());
                opt.zeroGrad();
                loss.backward();
                opt.step();
            }
            Tensor half = x.to(DType.BFLOAT16).to(DType.FLOAT32).sum();
            System.out.println("short run done " + half.item());
        }
    }
}
