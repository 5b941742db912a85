package io.jgrad.nn;

import io.jgrad.Tensor;

/**
 * Closing what a module's forward made for its own use (views, intermediate results), as PyTorch frees a temporary
 * when its last reference goes: a graph node that needs one for backward keeps its own reference, so closing frees
 * the memory only of what nothing saved, and does so at once rather than when the Scope ends.
 */
final class Temporaries {
    private Temporaries() {
    }

    /**
     * Closes {@code t} unless it is null or one of {@code keep} (the module's input or result: a view op such as
     * reshape returns its input itself where the shape does not change).
     */
    static void close(Tensor t, Tensor... keep) {
        if (t == null) return;
        for (Tensor k : keep) if (k == t) return;
        t.close();
    }
}
