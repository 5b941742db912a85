package io.jgrad.bench;

import io.jgrad.Generator;
import io.jgrad.Scope;
import io.jgrad.Tensor;
import io.jgrad.nn.Conv2d;
import io.jgrad.nn.Flatten;
import io.jgrad.nn.Linear;
import io.jgrad.nn.Losses;
import io.jgrad.nn.MaxPool2d;
import io.jgrad.nn.ReLU;
import io.jgrad.nn.Sequential;
import io.jgrad.optim.Adam;
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
 * One training step of the {@code cnn} example: conv 1->32 3x3, ReLU, 2x2 max-pool, conv 32->64 3x3, ReLU, 2x2
 * max-pool, linear 1600 -> 128, ReLU, linear 128 -> 10; batch 64 of random 28x28 images and labels, cross-entropy,
 * Adam (lr 1e-3). About 1 GFLOP per step, nearly all of it in the second convolution and its two gradients.
 */
@State(org.openjdk.jmh.annotations.Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = BenchSupport.VECTOR_MODULE)
public class CnnStepBenchmark {

    static final int BATCH = 64;

    @Param("cpu")
    String device;

    private Sequential model;
    private Adam optimizer;
    private Tensor images;
    private Tensor labels;

    @Setup
    public void setUp() {
        BenchSupport.useDevice(device);
        Generator gen = new Generator(42);
        model = new Sequential(new Conv2d(1, 32, 3, 1, 0, 1, true, gen), new ReLU(), new MaxPool2d(2),
                new Conv2d(32, 64, 3, 1, 0, 1, true, gen), new ReLU(), new MaxPool2d(2), new Flatten(),
                new Linear(1600, 128, gen), new ReLU(), new Linear(128, 10, gen));
        optimizer = new Adam(model.parameters(), 1e-3);
        images = Tensor.randn(new Generator(7), BATCH, 1, 28, 28);
        Random rng = new Random(7);
        long[] classes = new long[BATCH];
        for (int i = 0; i < BATCH; i++) classes[i] = rng.nextInt(10);
        labels = Tensor.of(classes, BATCH);
    }

    @Benchmark
    public double step() {
        try (Scope scope = Scope.open()) {
            Tensor loss;
            // the logits die once the loss has read them, as PyTorch's temporary in cross_entropy(model(x), y) does
            try (Tensor logits = model.forward(images)) {
                loss = Losses.crossEntropy(logits, labels);
            }
            optimizer.zeroGrad();
            loss.backward();
            optimizer.step();
            return loss.item();
        }
    }
}
