package io.jgrad.spi;

/** What {@link Backend#random} draws. See {@link CounterRandom} for the exact, backend-independent stream. */
public enum Distribution {
    /** Uniform on [a, b). */
    UNIFORM,
    /** Normal with mean a and standard deviation b. */
    NORMAL
}
