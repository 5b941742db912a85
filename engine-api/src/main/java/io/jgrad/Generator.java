package io.jgrad;

import io.jgrad.spi.CounterRandom;

/**
 * A seeded source of random tensors, like PyTorch's {@code torch.Generator}. Each draw takes the next sub-seed, so a
 * sequence of draws is reproducible from the seed on every backend (the element values come from
 * {@link CounterRandom}).
 * <p>
 * Random factories without a generator ({@code Tensor.randn(2, 3)}, {@code new Linear(4, 8)}, {@code Init.normal},
 * {@code new Dropout(0.1)}, a shuffling {@code DataLoader}) draw from the process-wide {@link #global()} generator,
 * which starts from a fixed seed and is reseeded by {@link Tensor#manualSeed(long)}. Pass a generator of your own
 * for a stream that nothing else in the program disturbs.
 * <p>
 * Thread-safe, but a generator shared by several threads hands out sub-seeds in whatever order the threads
 * arrive, so reproducible code gives each thread its own generator.
 */
public final class Generator {
    /** The global generator's seed until {@link Tensor#manualSeed(long)} changes it. */
    public static final long DEFAULT_SEED = 0x6A67726164L;

    private static final Generator GLOBAL = new Generator(DEFAULT_SEED);

    private long seed;
    private long draws;

    public Generator(long seed) {
        this.seed = seed;
    }

    /** The process-wide generator behind every random factory that is not given one. */
    public static Generator global() {
        return GLOBAL;
    }

    /** Restarts this generator's stream from {@code seed}: the draws that follow repeat those of {@code new Generator(seed)}. */
    public synchronized Generator manualSeed(long seed) {
        this.seed = seed;
        this.draws = 0;
        return this;
    }

    public synchronized long seed() {
        return seed;
    }

    /** The seed for the next draw. */
    public synchronized long nextSeed() {
        return CounterRandom.mix(seed ^ CounterRandom.mix(++draws));
    }

    /** A uniform double in [0, 1), for host-side decisions such as shuffling. */
    public synchronized double nextDouble() {
        return CounterRandom.uniform(seed, -(++draws));
    }
}
