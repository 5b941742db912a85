package io.jgrad.conformance;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgrad.Backends;
import io.jgrad.Device;
import io.jgrad.Generator;
import io.jgrad.Grad;
import io.jgrad.Scope;
import io.jgrad.Tensor;
import io.jgrad.data.Batch;
import io.jgrad.data.DataLoader;
import io.jgrad.data.TensorDataset;
import io.jgrad.nn.Linear;
import io.jgrad.nn.Losses;
import io.jgrad.nn.ReLU;
import io.jgrad.nn.Sequential;
import io.jgrad.optim.Adam;
import io.jgrad.optim.Optimizer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;


import org.junit.jupiter.api.Test;

/**
 * Memory stays flat in a long training run: 10,000 steps of an MNIST-shaped MLP (784-128-64-10, batch 32, Adam,
 * synthetic data through a shuffling loader, each step in a {@link Scope} as user code should run it). From step
 * 2,000 on, the Java heap in use after full collections and the backend's device bytes in use (zeros on the CPU, whose
 * buffers live on the heap) are sampled every 1,000 steps.
 * <p>
 * A leak is growth in every interval, so that is what fails: the heap may not rise by more than 4 KB in each of the
 * eight intervals (a leak of 4 bytes per step), and device memory may not rise in each of them at all. A one-time
 * allocation after warm-up (a kernel thread's first scratch buffer, say) rises in one interval only; the total rise
 * may still not exceed 16 MB of heap or 1 MB of device memory.
 */
public abstract class MemorySuite extends DeviceSuite {

    static final int STEPS = 10_000;
    static final int WARM_UP = 2_000;
    static final int SAMPLE_EVERY = 1_000;
    /** Heap growth per interval that, seen in every interval, is a leak: 4 bytes per step. */
    static final long HEAP_STEADY_BYTES = 4L << 10;
    static final long HEAP_TOTAL_BYTES = 16L << 20;
    /** Device bytes in use are exact: any growth in every interval is a leak. */
    static final long DEVICE_STEADY_BYTES = 0;
    static final long DEVICE_TOTAL_BYTES = 1L << 20;

    /** Heap in use after full collections: the least of three, so a collection that left garbage behind does not count. */
    static long usedHeapAfterGc() {
        Runtime rt = Runtime.getRuntime();
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            best = Math.min(best, rt.totalMemory() - rt.freeMemory());
        }
        return best;
    }

    /**
     * Device bytes in use once the collections above have let the Cleaner free what became unreachable (a dropped
     * gradient, say): read until two reads 20 ms apart agree, at most ten times.
     */
    long deviceBytesInUseSettled() {
        long last = Backends.get(device()).memoryStats().bytesInUse();
        for (int i = 0; i < 10; i++) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            long now = Backends.get(device()).memoryStats().bytesInUse();
            if (now == last) break;
            last = now;
        }
        return last;
    }

    @Test
    void heapAndDeviceMemoryStayFlatOverTenThousandTrainingSteps() {
        Tensor x;
        Tensor y;
        try (Grad.Mode ignored = Grad.disabled()) {
            x = Scope.persist(Tensor.randn(new Generator(1), 1024, 784));
            y = Scope.persist(x.matmul(Tensor.randn(new Generator(2), 784, 10)).argmax(1, false));
        }
        Generator gen = new Generator(3);
        Sequential model = new Sequential(new Linear(784, 128, gen), new ReLU(), new Linear(128, 64, gen), new ReLU(),
                new Linear(64, 10, gen));
        Optimizer opt = new Adam(model.parameters(), 1e-3);
        DataLoader loader = DataLoader.builder(new TensorDataset(x, y)).batchSize(32).shuffle(true).dropLast(true).seed(4).build();
        Iterator<Batch> batches = loader.iterator();

        List<Long> heap = new ArrayList<>();
        List<Long> device = new ArrayList<>();
        List<Integer> at = new ArrayList<>();
        double firstLoss = Double.NaN;
        double lastLoss = Double.NaN;
        long start = System.nanoTime();
        for (int step = 1; step <= STEPS; step++) {
            try (Scope ignored = Scope.open()) {
                if (!batches.hasNext()) batches = loader.iterator();
                Batch b = batches.next();
                opt.zeroGrad();
                Tensor loss = Losses.crossEntropy(model.forward(b.x()), b.y());
                loss.backward();
                opt.step();
                if (step == 1 || step == STEPS) {
                    double v = loss.item();
                    if (step == 1) firstLoss = v; else lastLoss = v;
                }
            }
            if (step >= WARM_UP && step % SAMPLE_EVERY == 0) {
                at.add(step);
                heap.add(usedHeapAfterGc());
                device.add(deviceBytesInUseSettled());
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        StringBuilder samples = new StringBuilder();
        for (int i = 0; i < at.size(); i++) {
            samples.append(String.format(Locale.ROOT, "%n  step %5d: heap %,d bytes, device in use %,d bytes",
                    at.get(i), heap.get(i), device.get(i)));
        }
        System.out.printf(Locale.ROOT, "%s on %s: %,d training steps of 784-128-64-10 in %.1f s, loss %.3f -> %.3f; from step "
                        + "%d to %d the post-GC heap changed by %,d bytes (least rise per %,d steps %,d) and device bytes in use "
                        + "by %,d%s%n",
                getClass().getSimpleName(), device(), STEPS, seconds, firstLoss, lastLoss, WARM_UP, STEPS,
                heap.get(heap.size() - 1) - heap.get(0), SAMPLE_EVERY, leastRise(heap),
                device.get(device.size() - 1) - device.get(0), samples);
        assertTrue(lastLoss < firstLoss, "the run should train: loss " + firstLoss + " -> " + lastLoss);
        assertFlat("heap in use after GC", heap, HEAP_STEADY_BYTES, HEAP_TOTAL_BYTES, samples);
        assertFlat("device bytes in use", device, DEVICE_STEADY_BYTES, DEVICE_TOTAL_BYTES, samples);
    }

    /** The smallest rise between consecutive samples (negative when memory fell somewhere). */
    static long leastRise(List<Long> samples) {
        long least = Long.MAX_VALUE;
        for (int i = 1; i < samples.size(); i++) least = Math.min(least, samples.get(i) - samples.get(i - 1));
        return least;
    }

    private static void assertFlat(String what, List<Long> samples, long steady, long total, CharSequence all) {
        long least = leastRise(samples);
        assertTrue(least <= steady, what + " rose by at least " + least + " bytes in every " + SAMPLE_EVERY + " steps (bound "
                + steady + "): something keeps tensors, graph nodes or buffers from every step" + all);
        long rise = samples.stream().mapToLong(Long::longValue).max().orElse(0) - samples.get(0);
        assertTrue(rise <= total, what + " rose by " + rise + " bytes after warm-up (bound " + total + ")" + all);
    }
}
