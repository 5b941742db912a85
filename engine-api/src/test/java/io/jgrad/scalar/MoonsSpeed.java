package io.jgrad.scalar;

import java.util.Arrays;

/**
 * Times micrograd's 100-step moons demo on the scalar engine (micrograd itself takes minutes in Python). Not a
 * unit test: run it by hand, e.g. from engine-api after test-compile,
 * {@code java -cp target/classes:target/test-classes io.jgrad.scalar.MoonsSpeed [runs]}.
 */
public final class MoonsSpeed {

    private MoonsSpeed() {
    }

    public static void main(String[] args) {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 9;
        // The first run includes class loading and JIT compilation; report it separately.
        long coldStart = System.nanoTime();
        MoonsTraining.run(0, 100, 100);
        double cold = (System.nanoTime() - coldStart) / 1e9;
        // Warm-up: let the JIT finish compiling the forward ops, the sort and the backward switch.
        for (int i = 1; i < 5; i++) MoonsTraining.run(i, 100 + i, 100);

        double[] seconds = new double[runs];
        double lastAccuracy = 0;
        for (int r = 0; r < runs; r++) {
            long start = System.nanoTime();
            MoonsTraining result = MoonsTraining.run(1337, 1337 + r, 100);
            seconds[r] = (System.nanoTime() - start) / 1e9;
            lastAccuracy = result.accuracy[99];
        }
        double[] sorted = seconds.clone();
        Arrays.sort(sorted);
        System.out.printf("moons demo, 100 steps, scalar engine: median %.3f s, min %.3f s, max %.3f s over %d runs"
                + " after warm-up; first (cold) run %.3f s; last run's final accuracy %.2f%n",
                sorted[runs / 2], sorted[0], sorted[runs - 1], runs, cold, lastAccuracy);
    }
}
