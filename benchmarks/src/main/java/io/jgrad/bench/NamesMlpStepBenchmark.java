package io.jgrad.bench;

import io.jgrad.Generator;
import io.jgrad.Scope;
import io.jgrad.Tensor;
import io.jgrad.nn.BatchNorm1d;
import io.jgrad.nn.Embedding;
import io.jgrad.nn.Flatten;
import io.jgrad.nn.Linear;
import io.jgrad.nn.Losses;
import io.jgrad.nn.Sequential;
import io.jgrad.nn.Tanh;
import io.jgrad.optim.SGD;
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
 * One training step of the makemore-style names model: a context of 3 characters embedded in 10 dimensions
 * (27 x 10 table), Linear 30-200 without bias, BatchNorm1d(200), tanh, Linear 200-27, cross-entropy, SGD (lr 0.1),
 * batch 32. Random contexts and targets stand in for the names; the arithmetic is the same.
 */
@State(org.openjdk.jmh.annotations.Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = BenchSupport.VECTOR_MODULE)
public class NamesMlpStepBenchmark {

    static final int VOCAB = 27;
    static final int CONTEXT = 3;
    static final int EMBED = 10;
    static final int HIDDEN = 200;
    static final int BATCH = 32;

    @Param("cpu")
    String device;

    private Sequential model;
    private SGD optimizer;
    private Tensor contexts;
    private Tensor targets;

    @Setup
    public void setUp() {
        BenchSupport.useDevice(device);
        Generator gen = new Generator(2147483647L);
        model = new Sequential(
                new Embedding(VOCAB, EMBED, gen),
                new Flatten(),
                new Linear(CONTEXT * EMBED, HIDDEN, false, gen),
                new BatchNorm1d(HIDDEN),
                new Tanh(),
                new Linear(HIDDEN, VOCAB, gen));
        optimizer = new SGD(model.parameters(), 0.1);
        Random rng = new Random(3);
        long[] ctx = new long[BATCH * CONTEXT];
        for (int i = 0; i < ctx.length; i++) ctx[i] = rng.nextInt(VOCAB);
        long[] next = new long[BATCH];
        for (int i = 0; i < BATCH; i++) next[i] = rng.nextInt(VOCAB);
        contexts = Tensor.of(ctx, BATCH, CONTEXT);
        targets = Tensor.of(next, BATCH);
    }

    @Benchmark
    public double step() {
        try (Scope scope = Scope.open()) {
            Tensor loss = Losses.crossEntropy(model.forward(contexts), targets);
            optimizer.zeroGrad();
            loss.backward();
            optimizer.step();
            return loss.item();
        }
    }
}
