package io.jgrad.cpu;

import io.jgrad.DType;
import io.jgrad.spi.Buffer;
import io.jgrad.spi.Gemm;
import java.util.Random;

/**
 * Measures GEMM throughput of the cpu backend: best of several timed repetitions after warm-up, square sizes.
 * Not a unit test. After {@code mvn test-compile}, run for example
 * <pre>
 * java --add-modules jdk.incubator.vector -cp engine-cpu/target/test-classes:engine-cpu/target/classes:engine-api/target/classes:$SLF4J \
 *     io.jgrad.cpu.GemmSpeed 256 512 1024
 * </pre>
 * Leave out {@code --add-modules} (or pass {@code -Djgrad.cpu.gemm=plain}) to time the plain-Java kernel, add
 * {@code -Djgrad.gemm.dtype=float64} for DGEMM and {@code -Djgrad.gemm.trans=NT} (or TN, TT) for transposed operands.
 */
public final class GemmSpeed {
    private GemmSpeed() {
    }

    public static void main(String[] args) {
        int[] sizes = args.length == 0 ? new int[]{256, 512, 1024} : new int[args.length];
        for (int i = 0; i < args.length; i++) sizes[i] = Integer.parseInt(args[i]);
        boolean f64 = "float64".equals(System.getProperty("jgrad.gemm.dtype"));
        int reps = Integer.getInteger("jgrad.gemm.reps", 10);
        String trans = System.getProperty("jgrad.gemm.trans", "NN");
        boolean ta = trans.charAt(0) == 'T', tb = trans.charAt(1) == 'T';
        CpuBackend cpu = new CpuBackend();
        System.out.println(cpu + ", " + (f64 ? "float64" : "float32") + " " + trans + ", java " + Runtime.version());
        Random rnd = new Random(42);
        for (int n : sizes) {
            Buffer a, b, c;
            if (f64) {
                a = cpu.upload(rnd.doubles((long) n * n, -1, 1).toArray());
                b = cpu.upload(rnd.doubles((long) n * n, -1, 1).toArray());
                c = cpu.allocate(DType.FLOAT64, (long) n * n);
            } else {
                float[] x = new float[n * n], y = new float[n * n];
                for (int i = 0; i < x.length; i++) {
                    x[i] = rnd.nextFloat() - 0.5f;
                    y[i] = rnd.nextFloat() - 0.5f;
                }
                a = cpu.upload(x);
                b = cpu.upload(y);
                c = cpu.allocate(DType.FLOAT32, (long) n * n);
            }
            Gemm g = new Gemm(ta, tb, 1, n, n, n, 1.0, a, 0, n, 0, b, 0, n, 0, 0.0, c, 0, n, 0, false);
            long warmUntil = System.nanoTime() + 2_000_000_000L;
            do {
                cpu.gemm(g);
            } while (System.nanoTime() < warmUntil);
            double best = Double.MAX_VALUE;
            for (int r = 0; r < reps; r++) {
                long t0 = System.nanoTime();
                cpu.gemm(g);
                best = Math.min(best, (System.nanoTime() - t0) / 1e9);
            }
            System.out.printf("%5d^3: %7.1f GFLOP/s (best of %d: %.3f ms)%n", n, 2.0 * n * n * n / best / 1e9, reps, best * 1e3);
        }
    }
}
