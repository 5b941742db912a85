package io.jgrad.bench;

import io.jgrad.Generator;
import io.jgrad.Scope;
import io.jgrad.Tensor;
import io.jgrad.data.ToyData;
import io.jgrad.nn.Linear;
import io.jgrad.nn.Losses;
import io.jgrad.nn.ReLU;
import io.jgrad.nn.Sequential;
import io.jgrad.optim.SGD;
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
 * One full-batch training step of micrograd's moons classifier on the tensor engine: MLP 2-16-16-1 (ReLU), 100
 * points, max-margin (hinge) loss plus 1e-4 times the L2 norm of every parameter, SGD. Tiny tensors, so this
 * measures the per-op overhead of the framework (graph building, dispatch, allocation) more than arithmetic.
 */
@State(org.openjdk.jmh.annotations.Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = BenchSupport.VECTOR_MODULE)
public class MicrogradMlpStepBenchmark {

    static final int POINTS = 100;
    static final double ALPHA = 1e-4;

    @Param("cpu")
    String device;

    private Sequential model;
    private SGD optimizer;
    private Tensor x;
    private Tensor y;

    @Setup
    public void setUp() {
        BenchSupport.useDevice(device);
        ToyData moons = ToyData.moons(POINTS, 0.1, 1337);
        double[][] points = moons.x();
        int[] labels = moons.y();
        float[] xs = new float[2 * POINTS];
        float[] ys = new float[POINTS];
        for (int i = 0; i < POINTS; i++) {
            xs[2 * i] = (float) points[i][0];
            xs[2 * i + 1] = (float) points[i][1];
            ys[i] = labels[i] == 1 ? 1f : -1f; // micrograd's y*2 - 1
        }
        x = Tensor.of(xs, POINTS, 2);
        y = Tensor.of(ys, POINTS, 1);
        Generator gen = new Generator(1337);
        model = new Sequential(new Linear(2, 16, gen), new ReLU(), new Linear(16, 16, gen), new ReLU(), new Linear(16, 1, gen));
        // A small constant rate keeps thousands of repeated steps stable (the demo decays 1.0 -> 0.1 over 100 steps).
        optimizer = new SGD(model.parameters(), 0.05);
    }

    @Benchmark
    public double step() {
        try (Scope scope = Scope.open()) {
            Tensor dataLoss = Losses.hinge(model.forward(x), y);
            Tensor l2 = null;
            for (Tensor p : model.parameters()) {
                Tensor sq = p.square().sum();
                l2 = l2 == null ? sq : l2.add(sq);
            }
            Tensor loss = dataLoss.add(l2.mul(ALPHA));
            optimizer.zeroGrad();
            loss.backward();
            optimizer.step();
            return loss.item();
        }
    }
}
