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
 * Element-wise float32 ops on contiguous vectors, outside autograd. At 1e3 elements the time is mostly the cost of
 * one op call (checks, allocation, dispatch); at 1e6 it is memory bandwidth and, for exp and gelu, arithmetic.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = BenchSupport.VECTOR_MODULE)
public class ElementwiseBenchmark {

    @Param({"1000", "1000000"})
    int size;

    @Param("cpu")
    String device;

    private Device dev;
    private Tensor x;
    private Tensor y;

    @Setup
    public void setUp() {
        dev = BenchSupport.useDevice(device);
        x = Tensor.randn(new Generator(1), size);
        y = Tensor.randn(new Generator(2), size);
    }

    @TearDown
    public void tearDown() {
        x.close();
        y.close();
    }

    @Benchmark
    public Tensor add() {
        return BenchSupport.finish(dev, x.add(y));
    }

    @Benchmark
    public Tensor mul() {
        return BenchSupport.finish(dev, x.mul(y));
    }

    @Benchmark
    public Tensor relu() {
        return BenchSupport.finish(dev, x.relu());
    }

    @Benchmark
    public Tensor gelu() {
        return BenchSupport.finish(dev, x.gelu());
    }

    @Benchmark
    public Tensor exp() {
        return BenchSupport.finish(dev, x.exp());
    }
}
