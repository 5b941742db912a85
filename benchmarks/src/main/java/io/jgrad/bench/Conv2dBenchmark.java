package io.jgrad.bench;

import io.jgrad.Device;
import io.jgrad.Functional;
import io.jgrad.Generator;
import io.jgrad.Grad;
import io.jgrad.Tensor;
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
 * Forward-only 2-d convolutions without autograd: {@code conv3x3}, F.conv2d of [32, 64, 32, 32] with a 64 -> 64 3x3
 * kernel, padding 1, with bias (ResNet's convolution; 2.4 GFLOP), and {@code maxPool2d}, 2x2 max pooling of the
 * CNN example's first activations [64, 32, 26, 26].
 */
@State(org.openjdk.jmh.annotations.Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = BenchSupport.VECTOR_MODULE)
public class Conv2dBenchmark {

    @Param("cpu")
    String device;

    private Device dev;
    private Tensor x, weight, bias, activations;

    @Setup
    public void setUp() {
        dev = BenchSupport.useDevice(device);
        Generator gen = new Generator(42);
        x = Tensor.randn(gen, 32, 64, 32, 32);
        weight = Tensor.randn(gen, 64, 64, 3, 3).mul(0.05);
        bias = Tensor.randn(gen, 64);
        activations = Tensor.randn(gen, 64, 32, 26, 26);
    }

    @Benchmark
    public Tensor conv3x3() {
        try (Grad.Mode off = Grad.disabled()) {
            return BenchSupport.finish(dev, Functional.conv2d(x, weight, bias, 1, 1));
        }
    }

    @Benchmark
    public Tensor maxPool2d() {
        try (Grad.Mode off = Grad.disabled()) {
            return BenchSupport.finish(dev, Functional.maxPool2d(activations, 2));
        }
    }
}
