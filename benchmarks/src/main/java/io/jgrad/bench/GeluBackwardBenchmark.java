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
 * GELU's forward and backward through autograd on a float32 vector: the forward, then the gradient of the input, whose
 * kernel is the fused geluBackward (g * GELU'(x) in one pass). PyTorch's counterpart (compare.py's gelu_fwd_bwd) is
 * {@code F.gelu(x).backward(g)}; the backward's own time is this minus {@code ElementwiseBenchmark.gelu}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = BenchSupport.VECTOR_MODULE)
public class GeluBackwardBenchmark {

    @Param({"1000", "1000000"})
    int size;

    @Param("cpu")
    String device;

    private Device dev;
    private Tensor x;
    private Tensor g;

    @Setup
    public void setUp() {
        dev = BenchSupport.useDevice(device);
        x = Tensor.randn(new Generator(1), size).requiresGrad(true);
        g = Tensor.randn(new Generator(2), size);
    }

    @TearDown
    public void tearDown() {
        x.close();
        g.close();
    }

    @Benchmark
    public Tensor forwardBackward() {
        Tensor y = x.gelu();
        y.backward(g);
        Tensor grad = x.grad();
        x.setGrad(null);
        y.close();
        return BenchSupport.finish(dev, grad);
    }
}
