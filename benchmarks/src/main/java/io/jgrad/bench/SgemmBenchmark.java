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
 * Square float32 matrix products C = A·B through {@link Tensor#matmul}, n = 256 to 2048. One call does 2n³
 * floating-point operations, so GFLOP/s = 2n³ / (time per call in ns); {@code benchmarks/scripts/compare.py}
 * prints that figure. {@link #sgemm} forks with the Vector API module, {@link #sgemmNoVector} without it.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = BenchSupport.VECTOR_MODULE)
public class SgemmBenchmark {

    @Param({"256", "512", "1024", "2048"})
    int n;

    @Param("cpu")
    String device;

    private Device dev;
    private Tensor a;
    private Tensor b;

    @Setup
    public void setUp() {
        dev = BenchSupport.useDevice(device);
        a = Tensor.randn(new Generator(1), n, n);
        b = Tensor.randn(new Generator(2), n, n);
    }

    @TearDown
    public void tearDown() {
        a.close();
        b.close();
    }

    @Benchmark
    public Tensor sgemm() {
        return BenchSupport.finish(dev, a.matmul(b));
    }

    /** The same product in a JVM without jdk.incubator.vector: the CPU backend's plain-Java kernels. */
    @Benchmark
    @Fork(value = 1, jvmArgsAppend = BenchSupport.NO_VECTOR_MODULE)
    public Tensor sgemmNoVector() {
        return BenchSupport.finish(dev, a.matmul(b));
    }
}
