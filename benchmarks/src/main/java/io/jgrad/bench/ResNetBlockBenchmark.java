package io.jgrad.bench;

import io.jgrad.Generator;
import io.jgrad.Scope;
import io.jgrad.Tensor;
import io.jgrad.nn.BatchNorm2d;
import io.jgrad.nn.Conv2d;
import io.jgrad.nn.Module;
import io.jgrad.nn.ReLU;
import io.jgrad.nn.Sequential;
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
 * Forward and backward of a ResNet basic block, as torchvision's: conv 3x3 (64 -> 64, padding 1, no bias),
 * BatchNorm2d, ReLU, conv 3x3, BatchNorm2d, plus the identity, ReLU; input [32, 64, 32, 32] with gradients for it
 * and every parameter (training mode). 2 x 2.4 GFLOP forward, about twice that backward.
 */
@State(org.openjdk.jmh.annotations.Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = BenchSupport.VECTOR_MODULE)
public class ResNetBlockBenchmark {

    @Param("cpu")
    String device;

    private Module conv1, bn1, conv2, bn2;
    private Sequential branch;
    private Tensor input;

    @Setup
    public void setUp() {
        BenchSupport.useDevice(device);
        Generator gen = new Generator(42);
        conv1 = new Conv2d(64, 64, 3, 1, 1, 1, false, gen);
        conv2 = new Conv2d(64, 64, 3, 1, 1, 1, false, gen);
        bn1 = new BatchNorm2d(64);
        bn2 = new BatchNorm2d(64);
        branch = new Sequential(conv1, bn1, new ReLU(), conv2, bn2);
        input = Tensor.randn(new Generator(7), 32, 64, 32, 32).requiresGrad(true);
    }

    @Benchmark
    public double forwardBackward() {
        try (Scope scope = Scope.open()) {
            Tensor oldGrad = input.grad(); // freed now, as PyTorch's block_in.grad = None frees it
            input.setGrad(null);
            if (oldGrad != null) oldGrad.close();
            for (Module m : new Module[]{conv1, bn1, conv2, bn2}) m.zeroGrad();
            // The branch is a Sequential, which closes each intermediate once the next layer has read it; the
            // temporaries after it are closed likewise: as in PyTorch, only what backward saved stays in memory.
            Tensor branchOut = branch.forward(input);
            Tensor sum = branchOut.add(input);
            branchOut.close();
            Tensor out = sum.relu();
            sum.close();
            Tensor loss = out.sum();
            out.close();
            loss.backward();
            return loss.item();
        }
    }
}
