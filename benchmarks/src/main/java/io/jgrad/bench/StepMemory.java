package io.jgrad.bench;

import io.jgrad.Backends;
import io.jgrad.Device;
import io.jgrad.spi.Backend;
import io.jgrad.spi.MemoryStats;
import java.util.Locale;

/**
 * Peak memory of one training step of the CNN example and of the ResNet block, as the backend counts it ({@link
 * Backend#memoryStats()}: on the CPU, every heap array handed out for a buffer or a kernel's scratch and not yet
 * returned). Each workload runs a few steps first, so that the optimizer's state exists and every size is pooled;
 * then the step is measured from a reset peak: "at start" is what lives between steps (parameters, their gradients
 * where kept, optimizer state, the batch), "peak" the most in use at once during the step, "transient" the
 * difference. benchmarks/scripts/step_memory.py measures the same steps in PyTorch.
 * <pre>
 *   java --add-modules=jdk.incubator.vector -cp benchmarks/target/benchmarks.jar io.jgrad.bench.StepMemory [cpu|cuda] [cnn|resnet]
 * </pre>
 * Run one workload per JVM for figures that include nothing of the other (the first one's model lives on).
 */
public final class StepMemory {
    private StepMemory() {
    }

    public static void main(String[] args) {
        String device = args.length > 0 ? args[0] : "cpu";
        String only = args.length > 1 ? args[1] : "";
        if (!only.equals("resnet")) {
            CnnStepBenchmark cnn = new CnnStepBenchmark();
            cnn.device = device;
            cnn.setUp();
            report("cnn_step", device, cnn::step);
        }
        if (!only.equals("cnn")) {
            ResNetBlockBenchmark block = new ResNetBlockBenchmark();
            block.device = device;
            block.setUp();
            report("resnet_block", device, block::forwardBackward);
        }
    }

    private static void report(String name, String device, Runnable step) {
        Backend backend = Backends.get(Device.parse(device));
        for (int i = 0; i < 3; i++) step.run();
        backend.synchronize();
        MemoryStats before = backend.memoryStats();
        backend.resetPeakMemoryStats();
        step.run();
        backend.synchronize();
        MemoryStats after = backend.memoryStats();
        double mib = 1 << 20;
        System.out.println(String.format(Locale.ROOT, "%s: at start %.1f MiB, peak %.1f MiB (%d bytes), transient %.1f MiB, after %.1f MiB",
                name, before.bytesInUse() / mib, after.peakBytesInUse() / mib, after.peakBytesInUse(),
                (after.peakBytesInUse() - before.bytesInUse()) / mib, after.bytesInUse() / mib));
    }
}
