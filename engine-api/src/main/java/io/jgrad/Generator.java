package io.jgrad;

import io.jgrad.spi.CounterRandom;

/**
 * A seeded source of random tensors. Each draw takes the next sub-seed, so a sequence of draws is reproducible
 * from the seed on every backend (the element values come from {@link CounterRandom}).
 * <p>
 * Thread-safe, but a generator shared by several threads hands out sub-seeds in whatever order the threads
 * arrive, so reproducible code gives each thread its own generator.
 */
public final class Generator {
    private final long seed;
    private long draws;

    public Generator(long seed) {
        this.seed = seed;
    }

    public long seed() {
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
