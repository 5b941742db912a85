package io.jgrad.bench;

import io.jgrad.data.ToyData;
import io.jgrad.scalar.MLP;
import io.jgrad.scalar.Value;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * micrograd's whole moons demo on the scalar engine, timed once per iteration: build MLP 2-16-16-1, then 100
 * full-batch steps of hinge loss + 1e-4 L2 with the learning rate decaying 1.0 -> 0.1. About 340 parameters and
 * some 100,000 graph nodes per step. The first iteration of a fresh JVM shows the cold (unJITted) time.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgsAppend = BenchSupport.VECTOR_MODULE)
public class ScalarMoonsBenchmark {

    static final int POINTS = 100;
    static final int STEPS = 100;
    static final double ALPHA = 1e-4;

    /** Returns the final loss, so the work cannot be optimised away. */
    @Benchmark
    public double demo() {
        ToyData moons = ToyData.moons(POINTS, 0.1, 1337);
        double[][] xs = moons.x();
        int[] labels = moons.y();
        MLP model = new MLP(2, new int[] {16, 16, 1}, 1337);
        List<Value> params = model.parameters();
        double lastLoss = Double.NaN;
        for (int k = 0; k < STEPS; k++) {
            Value dataLoss = Value.of(0);
            for (int i = 0; i < POINTS; i++) {
                Value score = model.apply(xs[i])[0];
                double yi = labels[i] == 1 ? 1 : -1;
                dataLoss = dataLoss.add(score.mul(-yi).add(1).relu());
            }
            dataLoss = dataLoss.mul(1.0 / POINTS);
            Value l2 = Value.of(0);
            for (Value p : params) l2 = l2.add(p.mul(p));
            Value loss = dataLoss.add(l2.mul(ALPHA));
            model.zeroGrad();
            loss.backward();
            double lr = 1.0 - 0.9 * k / STEPS;
            for (Value p : params) p.setData(p.data() - lr * p.grad());
            lastLoss = loss.data();
        }
        return lastLoss;
    }
}
