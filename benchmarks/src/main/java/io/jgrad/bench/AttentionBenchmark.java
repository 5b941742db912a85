package io.jgrad.bench;

import io.jgrad.Attention;
import io.jgrad.Generator;
import io.jgrad.Scope;
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
 * Causal scaled dot-product attention, forward and backward, on the fused path: q, k, v of [8, 4, 256, 64] (batch 8,
 * 4 heads, T = 256, head dim 64), the loss the sum of the output; PyTorch's twin is F.scaled_dot_product_attention
 * with is_causal=True. About 0.27 GFLOP forward (half of the [T, T] scores are masked), twice that backward.
 */
@State(org.openjdk.jmh.annotations.Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = BenchSupport.VECTOR_MODULE)
public class AttentionBenchmark {

    @Param("cpu")
    String device;

    private Tensor q, k, v;

    @Setup
    public void setUp() {
        BenchSupport.useDevice(device);
        Generator gen = new Generator(11);
        q = Tensor.randn(gen, 8, 4, 256, 64).requiresGrad(true);
        k = Tensor.randn(gen, 8, 4, 256, 64).requiresGrad(true);
        v = Tensor.randn(gen, 8, 4, 256, 64).requiresGrad(true);
    }

    @Benchmark
    public double causalForwardBackward() {
        try (Scope scope = Scope.open()) {
            q.setGrad(null);
            k.setGrad(null);
            v.setGrad(null);
            Tensor loss = Attention.scaledDotProductAttention(q, k, v, null, 0, true).sum();
            loss.backward();
            return loss.item();
        }
    }
}
