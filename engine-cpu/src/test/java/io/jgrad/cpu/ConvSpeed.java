package io.jgrad.cpu;

import io.jgrad.Functional;
import io.jgrad.Generator;
import io.jgrad.Scope;
import io.jgrad.Tensor;
import io.jgrad.nn.Conv2d;
import io.jgrad.nn.Linear;
import io.jgrad.nn.Losses;
import io.jgrad.optim.SGD;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A quick, JMH-free timing of the two convolution workloads, to run interleaved with PyTorch on a shared
 * machine (engine-cpu/scripts/conv-speed.sh alternates the two). Not a unit test:
 * <ul>
 * <li>cnn: one SGD training step of conv 1-&gt;32 3x3, ReLU, 2x2 max-pool, conv 32-&gt;64 3x3, ReLU, 2x2 max-pool,
 * linear 1600-&gt;128, ReLU, linear 128-&gt;10, cross-entropy, batch 64 (the max-pool is written as a reshape and
 * two max reductions here, as the pooling ops live in another branch);</li>
 * <li>block: a ResNet basic block without batch norm, relu(conv3x3(relu(conv3x3(x))) + x), 64 channels, 32x32,
 * batch 32, forward and backward to x and both weights.</li>
 * </ul>
 * Prints the median and best of {@code reps} steps in milliseconds, after warm-up.
 */
public final class ConvSpeed {
    private ConvSpeed() {
    }

    private static Tensor pool2(Tensor x) {
        int n = x.size(0), c = x.size(1), h = x.size(2) / 2, w = x.size(3) / 2;
        Tensor t = x.slice(2, 0, 2 * h).slice(3, 0, 2 * w).reshape(n, c, h, 2, w, 2);
        return t.max(5, false).max(3, false);
    }

    /**
     * -Djgrad.speed.cpuTime=true (with -Djgrad.cpu.threads=1) times the calling thread's CPU time instead of the wall
     * clock: on a machine that other jobs load, the work one thread does, which the load hardly changes.
     */
    private static final boolean CPU_TIME = Boolean.getBoolean("jgrad.speed.cpuTime");

    public static void main(String[] args) {
        int reps = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        String which = args.length > 1 ? args[1] : "cnn,block";
        Generator gen = new Generator(0);
        if (which.contains("cnn")) {
            Conv2d c1 = new Conv2d(1, 32, 3), c2 = new Conv2d(32, 64, 3);
            Linear l1 = new Linear(1600, 128), l2 = new Linear(128, 10);
            List<Tensor> params = new ArrayList<>();
            for (var m : List.of(c1, c2, l1, l2)) params.addAll(m.parameters());
            SGD opt = new SGD(params, 0.01);
            Tensor x = Scope.persist(Tensor.randn(gen, 64, 1, 28, 28));
            long[] labels = new long[64];
            for (int i = 0; i < 64; i++) labels[i] = i % 10;
            Tensor y = Scope.persist(Tensor.of(labels));
            time("cnn", reps, () -> {
                opt.zeroGrad();
                Tensor h = pool2(c1.forward(x).relu());
                h = pool2(c2.forward(h).relu()).flatten(1, 3);
                Tensor loss = Losses.crossEntropy(l2.forward(l1.forward(h).relu()), y);
                loss.backward();
                opt.step();
            });
        }
        if (which.contains("block")) {
            Tensor w1 = Scope.persist(Tensor.randn(gen, 64, 64, 3, 3).mul(0.05)).requiresGrad(true);
            Tensor w2 = Scope.persist(Tensor.randn(gen, 64, 64, 3, 3).mul(0.05)).requiresGrad(true);
            Tensor xb = Scope.persist(Tensor.randn(gen, 32, 64, 32, 32)).requiresGrad(true);
            time("block", reps, () -> {
                w1.setGrad(null);
                w2.setGrad(null);
                xb.setGrad(null);
                Tensor h = Functional.conv2d(xb, w1, null, 1, 1).relu();
                h = Functional.conv2d(h, w2, null, 1, 1);
                h.add(xb).relu().sum().backward();
            });
        }
        if (which.contains("checksum")) { // run with -Djgrad.cpu.threads=1 and =2: the lines must be equal
            for (int[] c : new int[][]{{64, 32, 13, 64, 3, 0}, {32, 64, 32, 64, 3, 1}, {64, 1, 28, 32, 3, 0}, {9, 16, 9, 16, 1, 0}}) {
                checksum(c[0], c[1], c[2], c[3], c[4], c[5]);
            }
        }
        if (which.contains("parts")) {
            parts(reps, 32, 64, 32, 64, 3, 1);
            parts(reps, 64, 32, 13, 64, 3, 0);
            parts(reps, 64, 1, 28, 32, 3, 0);
        }
        if (which.contains("fwd")) {
            Tensor w1 = Scope.persist(Tensor.randn(gen, 64, 64, 3, 3).mul(0.05));
            Tensor xb = Scope.persist(Tensor.randn(gen, 32, 64, 32, 32));
            time("conv3x3fwd", reps, () -> Functional.conv2d(xb, w1, null, 1, 1));
        }
    }

    /** The three kernels of one convolution alone, and a GEMM of the forward pass's size, on the cpu backend. */
    private static void parts(int reps, int n, int c, int hw, int out, int k, int pad) {
        CpuBackend cpu = new CpuBackend();
        io.jgrad.spi.ConvGeometry g = new io.jgrad.spi.ConvGeometry(n, c, hw, hw, out, k, k, 1, 1, pad, pad, pad, pad, 1, 1, 1);
        java.util.Random rnd = new java.util.Random(1);
        io.jgrad.spi.View x = fill(cpu, rnd, g.inputShape()), w = fill(cpu, rnd, g.weightShape()), gy = fill(cpu, rnd, g.outputShape());
        io.jgrad.spi.View y = fill(cpu, rnd, g.outputShape()), gx = fill(cpu, rnd, g.inputShape()), gw = fill(cpu, rnd, g.weightShape());
        io.jgrad.spi.View gb = fill(cpu, rnd, out);
        int p = g.outH() * g.outW();
        io.jgrad.spi.View col = fill(cpu, rnd, g.colRows(), n * p), big = fill(cpu, rnd, out, n * p);
        String tag = "[" + n + "," + c + "," + hw + "," + hw + "]*" + k + "x" + k + "->" + out;
        time("fwd " + tag, reps, () -> cpu.conv2dForward(y, x, w, null, g));
        time("bwdInput " + tag, reps, () -> cpu.conv2dBackwardInput(gx, gy, w, g));
        time("bwdWeight " + tag, reps, () -> cpu.conv2dBackwardWeight(gw, gb, gy, x, g));
        time("gemm " + out + "x" + (n * p) + "x" + g.colRows(), reps, () -> cpu.gemm(new io.jgrad.spi.Gemm(false, false, 1, out, n * p,
                g.colRows(), 1, w.buffer, 0, g.colRows(), 0, col.buffer, 0, n * p, 0, 0, big.buffer, 0, n * p, 0, false)));
    }

    private static void checksum(int n, int c, int hw, int out, int k, int pad) {
        CpuBackend cpu = new CpuBackend();
        io.jgrad.spi.ConvGeometry g = new io.jgrad.spi.ConvGeometry(n, c, hw, hw, out, k, k, 1, 1, pad, pad, pad, pad, 1, 1, 1);
        java.util.Random rnd = new java.util.Random(1);
        io.jgrad.spi.View x = fill(cpu, rnd, g.inputShape()), w = fill(cpu, rnd, g.weightShape()), gy = fill(cpu, rnd, g.outputShape());
        io.jgrad.spi.View y = fill(cpu, rnd, g.outputShape()), gx = fill(cpu, rnd, g.inputShape()), gw = fill(cpu, rnd, g.weightShape());
        io.jgrad.spi.View b = fill(cpu, rnd, out), gb = fill(cpu, rnd, out);
        cpu.conv2dForward(y, x, w, b, g);
        cpu.conv2dBackwardInput(gx, gy, w, g);
        cpu.conv2dBackwardWeight(gw, gb, gy, x, g);
        System.out.println("checksum " + g + ": y " + Arrays.hashCode(((CpuBuffer) y.buffer).floats()) + " gx "
                + Arrays.hashCode(((CpuBuffer) gx.buffer).floats()) + " gw " + Arrays.hashCode(((CpuBuffer) gw.buffer).floats())
                + " gb " + Arrays.hashCode(((CpuBuffer) gb.buffer).floats()));
    }

    private static io.jgrad.spi.View fill(CpuBackend cpu, java.util.Random rnd, int... shape) {
        float[] v = new float[(int) io.jgrad.spi.View.numel(shape)];
        for (int i = 0; i < v.length; i++) v[i] = rnd.nextFloat() - 0.5f;
        return io.jgrad.spi.View.contiguous(cpu.upload(v), shape);
    }

    private static void time(String name, int reps, Runnable step) {
        for (int i = 0; i < Math.max(3, reps / 4); i++) {
            try (Scope ignored = Scope.open()) {
                step.run();
            }
        }
        double[] ms = new double[reps];
        var bean = java.lang.management.ManagementFactory.getThreadMXBean();
        for (int i = 0; i < reps; i++) {
            long t0 = CPU_TIME ? bean.getCurrentThreadCpuTime() : System.nanoTime();
            try (Scope ignored = Scope.open()) {
                step.run();
            }
            ms[i] = ((CPU_TIME ? bean.getCurrentThreadCpuTime() : System.nanoTime()) - t0) / 1e6;
        }
        Arrays.sort(ms);
        System.out.printf("jgrad %s median %s %.2f min %.2f%n", name, CPU_TIME ? "thread-cpu-ms" : "ms", ms[reps / 2], ms[0]);
    }
}
