package io.jgrad.bench;

import io.jgrad.Device;
import io.jgrad.Generator;
import io.jgrad.Tensor;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Reductions over a float32 matrix of rows x cols (1e3 and 1e6 elements): sum along the contiguous last dimension,
 * sum along the strided first dimension, and softmax along the last dimension.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = BenchSupport.VECTOR_MODULE)
public class ReductionBenchmark {

    /** rows x cols */
    @Param({"10x100", "1000x1000"})
    String shape;

    @Param("cpu")
    String device;

    private Device dev;
    private Tensor x;

    @Setup
    public void setUp() {
        dev = BenchSupport.useDevice(device);
        String[] parts = shape.split("x");
        x = Tensor.randn(new Generator(1), Integer.parseInt(parts[0]), Integer.parseInt(parts[1]));
    }

    @TearDown
    public void tearDown() {
        x.close();
    }

    @Benchmark
    public Tensor sumLastDim() {
        return BenchSupport.finish(dev, x.sum(1, false));
    }

    @Benchmark
    public Tensor sumFirstDim() {
        return BenchSupport.finish(dev, x.sum(0, false));
    }

    @Benchmark
    public Tensor softmax() {
        return BenchSupport.finish(dev, x.softmax(1));
    }
}
