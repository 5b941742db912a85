package io.jgrad;

import java.util.Locale;

/** How GELU computes the normal CDF: exactly, with erf (PyTorch's "none", the default), or with its tanh approximation. */
public enum GeluApproximation {
    /** x * Phi(x) with the exact, erf-based Phi. */
    NONE,
    /** x/2 (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))). */
    TANH;

    /** PyTorch's spelling: "none" or "tanh". */
    public String pyName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses PyTorch's {@code approximate} argument, "none" or "tanh". */
    public static GeluApproximation of(String approximate) {
        if ("none".equals(approximate)) return NONE;
        if ("tanh".equals(approximate)) return TANH;
        throw new IllegalArgumentException("gelu: approximate must be 'none' or 'tanh', got '" + approximate + "'");
    }
}
