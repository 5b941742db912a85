package io.jgrad.cpu.suites;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jgrad.Backends;
import io.jgrad.Device;
import io.jgrad.Generator;
import io.jgrad.Grad;
import io.jgrad.Scope;
import io.jgrad.Tensor;
import io.jgrad.nn.Embedding;
import io.jgrad.nn.LayerNorm;
import io.jgrad.nn.Linear;
import io.jgrad.nn.Losses;
import io.jgrad.nn.Module;
import io.jgrad.nn.Sequential;
import io.jgrad.nn.TransformerBlock;
import io.jgrad.optim.AdamW;
import io.jgrad.optim.ClipGrad;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The gpt example's training step (two of its blocks, at its widths, batch 32 and context 16) gives the same bits on
 * one, two and three threads: at these sizes the head copies, the bias adds, the AdamW updates, the layer norms, the
 * attention and the products all split over threads, each element still computed by one thread in one order. As in
 * CpuDeterminismThreadsTest, the thread count is fixed per JVM, so child JVMs run with -XX:ActiveProcessorCount.
 */
class CpuTransformerThreadsTest {
    private static final int STEPS = 4;

    @AfterEach
    void resetDefaultDevice() {
        Backends.setDefaultDevice(null);
    }

    /** The child process: trains and prints the trace, one line per step. */
    public static void main(String[] args) {
        StringBuilder sb = new StringBuilder();
        sb.append("threads ").append(Runtime.getRuntime().availableProcessors()).append('\n');
        for (String line : train()) sb.append("TRACE ").append(line).append('\n');
        System.out.print(sb);
        System.out.flush();
    }

    static final class Gpt extends Module {
        Gpt(Generator gen) {
            Embedding wte = register("wte", new Embedding(27, 64, gen));
            register("wpe", new Embedding(16, 64, gen));
            Sequential blocks = new Sequential();
            for (int i = 0; i < 2; i++) blocks.add(new TransformerBlock(64, 4, 0, true, gen));
            register("blocks", blocks);
            register("ln_f", new LayerNorm(64));
            register("lm_head", new Linear(wte.weight(), null));
        }

        @Override
        public Tensor forward(Tensor idx) {
            Tensor positions = Tensor.arange(idx.size(1)).to(idx.device());
            Tensor x = child("wte").forward(idx).add(child("wpe").forward(positions));
            return child("lm_head").forward(child("ln_f").forward(child("blocks").forward(x)));
        }
    }

    /** Per step: the loss's bits and a digest of every parameter's bits after the update. */
    static List<String> train() {
        Backends.setDefaultDevice(Device.CPU);
        Module model = new Gpt(new Generator(7));
        try (Grad.Mode ignored = Grad.disabled()) {
            model.parameters().get(0).mulInPlace(0.02);
        }
        AdamW opt = new AdamW(model.parameters(), 1e-3, 0.9, 0.99, 1e-8, 0.01);
        Random rng = new Random(5);
        long[] x = new long[32 * 16], y = new long[32 * 16];
        for (int i = 0; i < x.length; i++) {
            x[i] = rng.nextInt(27);
            y[i] = rng.nextInt(27);
        }
        Tensor tokens = Tensor.of(x, 32, 16), targets = Tensor.of(y);
        List<String> lines = new ArrayList<>();
        for (int step = 0; step < STEPS; step++) {
            try (Scope scope = Scope.open()) {
                Tensor loss = Losses.crossEntropy(model.forward(tokens).reshape(32 * 16, 27), targets);
                opt.zeroGrad();
                loss.backward();
                double norm = ClipGrad.clipGradNorm(model.parameters(), 1.0);
                opt.step();
                long digest = 0;
                for (Tensor p : model.parameters()) {
                    for (float f : p.toFloatArray()) digest = digest * 1_000_003 + Float.floatToRawIntBits(f);
                }
                lines.add(step + " loss " + Long.toHexString(Double.doubleToRawLongBits(loss.item())) + " norm "
                        + Long.toHexString(Double.doubleToRawLongBits(norm)) + " params " + Long.toHexString(digest));
            }
        }
        return lines;
    }

    @Test
    void gptStepIsBitIdenticalOnOneTwoAndThreeThreads() throws Exception {
        List<String> here = train();
        int hereThreads = Runtime.getRuntime().availableProcessors();
        for (int threads : new int[]{1, 3}) {
            List<String> child = ChildJvm.traceOnThreads(CpuTransformerThreadsTest.class, threads);
            assertEquals(here.size(), child.size(), "trace length on " + threads + " threads");
            for (int i = 0; i < here.size(); i++) {
                assertEquals(here.get(i), child.get(i), "the step on " + hereThreads + " threads (this JVM) and on " + threads
                        + " (a child JVM) first differs at line " + i);
            }
        }
    }
}
