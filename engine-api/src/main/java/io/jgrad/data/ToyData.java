package io.jgrad.data;

import java.util.Random;

/**
 * Small two-dimensional classification sets for demos and tests, generated as plain arrays: scikit-learn's
 * {@code make_moons} and {@code make_circles}, and the CS231n spiral. The geometry and labels follow those
 * definitions; the random numbers come from {@link java.util.Random}, so a seed gives the same data on every run
 * but not the same data as NumPy.
 */
public final class ToyData {

    private final double[][] x;
    private final int[] y;

    private ToyData(double[][] x, int[] y) {
        this.x = x;
        this.y = y;
    }

    /**
     * Two interleaving half circles. The first {@code n/2} points lie on the upper unit half circle
     * {@code (cos t, sin t)}, t evenly spaced over [0, pi], with label 0; the other {@code n - n/2} on the lower one
     * {@code (1 - cos t, 0.5 - sin t)}, with label 1. The points are shuffled, then Gaussian noise with standard
     * deviation {@code noise} is added to every coordinate.
     */
    public static ToyData moons(int n, double noise, long seed) {
        requirePositive(n);
        requireNoise(noise);
        int outer = n / 2;
        int inner = n - outer;
        double[][] x = new double[n][];
        int[] y = new int[n];
        for (int i = 0; i < outer; i++) {
            double t = linspace(0, Math.PI, outer, i, true);
            x[i] = new double[] {Math.cos(t), Math.sin(t)};
        }
        for (int i = 0; i < inner; i++) {
            double t = linspace(0, Math.PI, inner, i, true);
            x[outer + i] = new double[] {1 - Math.cos(t), 1 - Math.sin(t) - 0.5};
            y[outer + i] = 1;
        }
        return shuffledWithNoise(x, y, noise, new Random(seed));
    }

    /**
     * A large circle (label 0, radius 1, {@code n/2} points) around a small one (label 1, radius {@code factor},
     * {@code n - n/2} points), each evenly spaced over [0, 2 pi) without repeating the start. Shuffled, then
     * Gaussian noise with standard deviation {@code noise} is added to every coordinate.
     *
     * @param factor the inner radius relative to the outer, strictly between 0 and 1
     */
    public static ToyData circles(int n, double noise, double factor, long seed) {
        requirePositive(n);
        requireNoise(noise);
        if (!(factor > 0 && factor < 1)) {
            throw new IllegalArgumentException("factor must be strictly between 0 and 1, got " + factor);
        }
        int outer = n / 2;
        int inner = n - outer;
        double[][] x = new double[n][];
        int[] y = new int[n];
        for (int i = 0; i < outer; i++) {
            double t = linspace(0, 2 * Math.PI, outer, i, false);
            x[i] = new double[] {Math.cos(t), Math.sin(t)};
        }
        for (int i = 0; i < inner; i++) {
            double t = linspace(0, 2 * Math.PI, inner, i, false);
            x[outer + i] = new double[] {factor * Math.cos(t), factor * Math.sin(t)};
            y[outer + i] = 1;
        }
        return shuffledWithNoise(x, y, noise, new Random(seed));
    }

    /**
     * The CS231n spiral: {@code classes} arms, arm j with label j. Along an arm the radius r grows evenly from 0 to
     * 1 while the angle runs evenly over [4j, 4j + 4] radians plus Gaussian noise of standard deviation
     * {@code noise} (CS231n uses 0.2); the point is {@code (r sin t, r cos t)}. The {@code n} points are split as
     * evenly as possible (the first {@code n % classes} arms get one more), then shuffled.
     */
    public static ToyData spirals(int n, int classes, double noise, long seed) {
        requirePositive(n);
        requireNoise(noise);
        if (classes <= 0) throw new IllegalArgumentException("classes must be at least 1, got " + classes);
        if (n < classes) {
            throw new IllegalArgumentException("need at least one point per class: n=" + n + ", classes=" + classes);
        }
        Random rng = new Random(seed);
        double[][] x = new double[n][];
        int[] y = new int[n];
        int row = 0;
        for (int c = 0; c < classes; c++) {
            int m = n / classes + (c < n % classes ? 1 : 0);
            for (int i = 0; i < m; i++) {
                double r = linspace(0, 1, m, i, true);
                double t = linspace(4.0 * c, 4.0 * (c + 1), m, i, true) + noise * rng.nextGaussian();
                x[row] = new double[] {r * Math.sin(t), r * Math.cos(t)};
                y[row++] = c;
            }
        }
        return shuffledWithNoise(x, y, 0.0, rng);
    }

    /** The points, one row {x0, x1} each; a copy. */
    public double[][] x() {
        double[][] copy = new double[x.length][];
        for (int i = 0; i < x.length; i++) copy[i] = x[i].clone();
        return copy;
    }

    /** The labels, 0 to classes - 1; a copy. */
    public int[] y() {
        return y.clone();
    }

    public int size() {
        return y.length;
    }

    /** NumPy's linspace(start, stop, num)[i], with or without the end point. */
    private static double linspace(double start, double stop, int num, int i, boolean endpoint) {
        int divisions = endpoint ? num - 1 : num;
        if (divisions == 0) return start;
        return start + (stop - start) * i / divisions;
    }

    /** Shuffles rows and labels together, then adds N(0, noise^2) to every coordinate, in that order as sklearn. */
    private static ToyData shuffledWithNoise(double[][] x, int[] y, double noise, Random rng) {
        for (int i = x.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            double[] row = x[i];
            x[i] = x[j];
            x[j] = row;
            int label = y[i];
            y[i] = y[j];
            y[j] = label;
        }
        if (noise > 0) {
            for (double[] row : x) {
                row[0] += noise * rng.nextGaussian();
                row[1] += noise * rng.nextGaussian();
            }
        }
        return new ToyData(x, y);
    }

    private static void requirePositive(int n) {
        if (n <= 0) throw new IllegalArgumentException("n must be positive, got " + n);
    }

    private static void requireNoise(double noise) {
        if (!(noise >= 0) || Double.isInfinite(noise)) {
            throw new IllegalArgumentException("noise must be a finite non-negative standard deviation, got " + noise);
        }
    }
}
