package io.jgrad.bench;

import io.jgrad.Generator;
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
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One training step of the {@code gpt} example's transformer: vocabulary 27, context 16, token and position
 * embeddings of 64, 4 causal pre-LayerNorm blocks of 4 heads (MLP 64-256-64, GELU), final LayerNorm, output layer
 * tied to the token embedding; cross-entropy over all 32 x 16 positions, gradient clipping at 1, AdamW (lr 5e-4,
 * weight decay 0.01 on every parameter), batch 32. Random tokens stand in for the names; the arithmetic is the same.
 * compare.py times the same model in PyTorch (nn.MultiheadAttention with a causal mask).
 */
@State(org.openjdk.jmh.annotations.Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = BenchSupport.VECTOR_MODULE)
public class GptStepBenchmark {

    static final int VOCAB = 27;
    static final int CONTEXT = 16;
    static final int EMBED = 64;
    static final int HEADS = 4;
    static final int LAYERS = 4;
    static final int BATCH = 32;

    @Param("cpu")
    String device;

    private Module model;
    private AdamW optimizer;
    private Tensor tokens;
    private Tensor targets;

    /** wte, wpe, blocks, ln_f and lm_head (tied to wte). */
    static final class Gpt extends Module {
        Gpt(Generator gen) {
            Embedding wte = register("wte", new Embedding(VOCAB, EMBED, gen));
            register("wpe", new Embedding(CONTEXT, EMBED, gen));
            Sequential blocks = new Sequential();
            for (int i = 0; i < LAYERS; i++) blocks.add(new TransformerBlock(EMBED, HEADS, 0, true, gen));
            register("blocks", blocks);
            register("ln_f", new LayerNorm(EMBED));
            register("lm_head", new Linear(wte.weight(), null));
        }

        @Override
        public Tensor forward(Tensor idx) {
            Tensor positions = Tensor.arange(idx.size(1)).to(idx.device());
            Tensor x = child("wte").forward(idx).add(child("wpe").forward(positions));
            return child("lm_head").forward(child("ln_f").forward(child("blocks").forward(x)));
        }
    }

    @Setup
    public void setUp() {
        BenchSupport.useDevice(device);
        model = new Gpt(new Generator(2147483647L));
        // the tied weight starts as N(0, 1) in both frameworks' defaults; scale it as GPT-2 does
        try (io.jgrad.Grad.Mode ignored = io.jgrad.Grad.disabled()) {
            model.parameters().get(0).mulInPlace(0.02);
        }
        optimizer = new AdamW(model.parameters(), 5e-4, 0.9, 0.99, 1e-8, 0.01);
        Random rng = new Random(3);
        long[] x = new long[BATCH * CONTEXT];
        long[] y = new long[BATCH * CONTEXT];
        for (int i = 0; i < x.length; i++) {
            x[i] = rng.nextInt(VOCAB);
            y[i] = rng.nextInt(VOCAB);
        }
        tokens = Tensor.of(x, BATCH, CONTEXT);
        targets = Tensor.of(y);
    }

    @Benchmark
    public double step() {
        try (Scope scope = Scope.open()) {
            Tensor logits = model.forward(tokens);
            Tensor loss = Losses.crossEntropy(logits.reshape(BATCH * CONTEXT, VOCAB), targets);
            optimizer.zeroGrad();
            loss.backward();
            ClipGrad.clipGradNorm(model.parameters(), 1.0);
            optimizer.step();
            return loss.item();
        }
    }
}
