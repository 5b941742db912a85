package io.jgrad.bench;

import io.jgrad.Backends;
import io.jgrad.DType;
import io.jgrad.Device;
import io.jgrad.Functional;
import io.jgrad.Generator;
import io.jgrad.Grad;
import io.jgrad.Scope;
import io.jgrad.Tensor;
import io.jgrad.spi.Backend;
import io.jgrad.spi.Distribution;
import io.jgrad.spi.MemoryStats;
import java.util.Arrays;
import java.util.Locale;

/**
 * The GPU workloads of docs/BENCHMARKS.md, timed the same way as benchmarks/scripts/gpu_torch.py times PyTorch:
 * warm-up first, synchronize around timed regions, medians of repeated runs.
 * Run: java --add-modules jdk.incubator.vector -cp ... io.jgrad.bench.GpuBench [sgemm] [mlp] [hostop] [memory]
 */
public final class GpuBench {
    private GpuBench() {
    }

    public static void main(String[] args) {
        Device dev = Device.parse(System.getProperty("jgrad.bench.device", "cuda"));
        Backends.setDefaultDevice(dev);
        Backend backend = Backends.get(dev);
        var todo = Arrays.asList(args.length == 0 ? new String[]{"sgemm", "mlp", "hostop", "memory"} : args);
        System.out.println("device " + dev);
        if (todo.contains("sgemm")) sgemm(backend, dev);
        if (todo.contains("mlp")) {
            mlp(backend, dev, 256, 300);
            mlp(backend, dev, 4096, 100);
        }
        if (todo.contains("hostop")) hostOp(backend, dev);
        if (todo.contains("memory")) memory(backend, dev);
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    static void sgemm(Backend backend, Device dev) {
        for (boolean tf32 : new boolean[]{false, true}) {
            Backends.setAllowTf32(tf32);
            for (int n : new int[]{1024, 2048, 4096, 8192}) {
                try (Scope scope = Scope.open()) {
                    Tensor a = Tensor.random(Distribution.NORMAL, 0, 1, DType.FLOAT32, dev, new Generator(1), n, n);
                    Tensor b = Tensor.random(Distribution.NORMAL, 0, 1, DType.FLOAT32, dev, new Generator(2), n, n);
                    for (int i = 0; i < 3; i++) a.matmul(b).close();
                    backend.synchronize();
                    int reps = n >= 8192 ? 10 : 30;
                    double[] t = new double[reps];
                    for (int i = 0; i < reps; i++) {
                        long t0 = System.nanoTime();
                        Tensor c = a.matmul(b);
                        backend.synchronize();
                        t[i] = (System.nanoTime() - t0) * 1e-9;
                        c.close();
                    }
                    double sec = median(t);
                    System.out.printf(Locale.ROOT, "RESULT sgemm %s n=%d median_ms=%.3f tflops=%.2f%n", tf32 ? "tf32" : "fp32", n,
                            sec * 1e3, 2.0 * n * n * n / sec / 1e12);
                }
            }
        }
        Backends.setAllowTf32(false);
    }

    /** An MLP 784-1024-1024-10 with Adam, as plain tensors and fused functional ops. */
    static final class Mlp {
        final Tensor[] params;
        final Tensor[] m;
        final Tensor[] v;
        long step;

        Mlp(Device dev) {
            int[][] shapes = {{1024, 784}, {1024}, {1024, 1024}, {1024}, {10, 1024}, {10}};
            params = new Tensor[shapes.length];
            m = new Tensor[shapes.length];
            v = new Tensor[shapes.length];
            for (int i = 0; i < shapes.length; i++) {
                int fanIn = shapes[i].length == 2 ? shapes[i][1] : shapes[i - 1][1];
                double bound = 1 / Math.sqrt(fanIn);
                params[i] = Tensor.random(Distribution.UNIFORM, -bound, bound, DType.FLOAT32, dev, new Generator(100 + i), shapes[i]).requiresGrad(true);
                m[i] = Tensor.zeros(DType.FLOAT32, dev, shapes[i]);
                v[i] = Tensor.zeros(DType.FLOAT32, dev, shapes[i]);
            }
        }

        double trainStep(Tensor x, Tensor y, boolean readLoss) {
            try (Scope scope = Scope.open()) {
                Tensor h = Functional.linear(x, params[0], params[1], Functional.Activation.RELU);
                h = Functional.linear(h, params[2], params[3], Functional.Activation.RELU);
                Tensor logits = Functional.linear(h, params[4], params[5], Functional.Activation.NONE);
                Tensor loss = Functional.crossEntropy(logits, y).mean();
                for (Tensor p : params) p.setGrad(null);
                loss.backward();
                step++;
                try (Grad.Mode ignored = Grad.disabled()) {
                    for (int i = 0; i < params.length; i++) {
                        Functional.adamUpdate(params[i], params[i].grad(), m[i], v[i], 1e-3, 0.9, 0.999, 1e-8, 0, false, step);
                    }
                }
                for (Tensor p : params) {
                    Tensor g = p.grad();
                    p.setGrad(null);
                    g.close();
                }
                return readLoss ? loss.item() : Double.NaN;
            }
        }
    }

    static void mlp(Backend backend, Device dev, int batch, int steps) {
        Mlp net = new Mlp(dev);
        Tensor x = Tensor.random(Distribution.NORMAL, 0, 1, DType.FLOAT32, dev, new Generator(7), batch, 784);
        long[] labels = new long[batch];
        for (int i = 0; i < batch; i++) labels[i] = (i * 7919L) % 10;
        Tensor y = Tensor.of(labels).to(dev);
        double first = net.trainStep(x, y, true);
        for (int i = 0; i < 10; i++) net.trainStep(x, y, false);
        backend.synchronize();
        int rounds = 5;
        double[] rate = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < steps; i++) net.trainStep(x, y, false);
            backend.synchronize();
            rate[r] = steps / ((System.nanoTime() - t0) * 1e-9);
        }
        double last = net.trainStep(x, y, true);
        System.out.printf(Locale.ROOT, "RESULT mlp batch=%d steps_per_s=%.1f loss_first=%.4f loss_last=%.4f%n", batch, median(rate), first, last);
    }

    /** Host time per small op: many tiny adds queued without synchronizing, then one synchronize. */
    static void hostOp(Backend backend, Device dev) {
        Tensor a = Tensor.random(Distribution.NORMAL, 0, 1, DType.FLOAT32, dev, new Generator(3), 16);
        Tensor b = Tensor.random(Distribution.NORMAL, 0, 1, DType.FLOAT32, dev, new Generator(4), 16);
        for (boolean grad : new boolean[]{false, true}) {
            Tensor ga = grad ? a.detach().requiresGrad(true) : a;
            int n = 20000;
            double[] per = new double[5];
            for (int r = 0; r < per.length; r++) {
                try (Scope scope = Scope.open()) {
                    long t0 = System.nanoTime();
                    Tensor acc = ga;
                    for (int i = 0; i < n; i++) acc = acc.add(b);
                    long host = System.nanoTime() - t0;
                    backend.synchronize();
                    per[r] = host * 1e-3 / n;
                }
            }
            System.out.printf(Locale.ROOT, "RESULT hostop add16 autograd=%s host_us_per_op=%.2f%n", grad, median(per));
        }
    }

    static void memory(Backend backend, Device dev) {
        Mlp net = new Mlp(dev);
        int batch = 256;
        Tensor x = Tensor.random(Distribution.NORMAL, 0, 1, DType.FLOAT32, dev, new Generator(7), batch, 784);
        long[] labels = new long[batch];
        for (int i = 0; i < batch; i++) labels[i] = (i * 31L) % 10;
        Tensor y = Tensor.of(labels).to(dev);
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i <= 10000; i++) {
            net.trainStep(x, y, false);
            if (i == 100 || i == 1000 || i == 5000 || i == 10000) {
                backend.synchronize();
                MemoryStats s = backend.memoryStats();
                sb.append(String.format(Locale.ROOT, " step%d_inuse_MiB=%.2f cached_MiB=%.2f peak_MiB=%.2f allocs=%d", i,
                        s.bytesInUse() / 1048576.0, s.bytesCached() / 1048576.0, s.peakBytesInUse() / 1048576.0, s.deviceAllocations()));
            }
        }
        System.out.println("RESULT memory 10000 steps" + sb);
    }
}
