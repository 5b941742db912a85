package io.jgrad.spi;

/**
 * The random stream every backend produces, so that a seed means the same numbers on any device.
 * Element i (in row-major order of the output view) is a pure function of (seed, i): a splitmix64 hash of a
 * Weyl sequence. Normals use Box-Muller on the uniforms at 2i and 2i+1.
 */
public final class CounterRandom {
    private CounterRandom() {
    }

    public static final long GOLDEN = 0x9E3779B97F4A7C15L;

    public static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    public static long bits(long seed, long i) {
        return mix(seed + (i + 1) * GOLDEN);
    }

    /** Uniform on [0, 1) with 53 random bits. */
    public static double uniform(long seed, long i) {
        return (bits(seed, i) >>> 11) * 0x1p-53;
    }

    /** Standard normal. */
    public static double normal(long seed, long i) {
        double u1 = uniform(seed, 2 * i);
        double u2 = uniform(seed, 2 * i + 1);
        return Math.sqrt(-2.0 * Math.log1p(-u1)) * Math.cos(2.0 * Math.PI * u2);
    }

    /** The value a backend writes at element i for the given distribution and parameters. */
    public static double sample(Distribution d, long seed, long i, double a, double b) {
        return d == Distribution.UNIFORM ? a + (b - a) * uniform(seed, i) : a + b * normal(seed, i);
    }
}
