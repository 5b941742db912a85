package io.jgrad;

import java.util.ArrayList;
import java.util.List;

/**
 * Deterministic release of tensor memory, which matters on devices: every tensor created while a scope is open
 * belongs to it, and closing the scope closes them all, except those that escape through {@link #keep(Tensor)}.
 * Parameters and their gradients are created outside training-step scopes or escape automatically.
 * <pre>{@code
 * try (var scope = Scope.open()) {
 *     Tensor loss = model.forward(x).sub(y).square().mean();
 *     loss.backward();
 *     optimizer.step();
 *     lossValue = loss.item();
 * } // activations, saved tensors and temporaries are freed here
 * }</pre>
 * Scopes nest and are per thread. The references that graph nodes hold to the tensors they saved for backward belong
 * to the scope open when the op ran, like any tensor made there; backward closes them earlier, once their node has run.
 */
public final class Scope implements AutoCloseable {
    private static final ThreadLocal<Scope> CURRENT = new ThreadLocal<>();

    private final Scope parent;
    private final List<Tensor> owned = new ArrayList<>();
    private boolean closed;

    private Scope(Scope parent) {
        this.parent = parent;
    }

    public static Scope open() {
        Scope s = new Scope(CURRENT.get());
        CURRENT.set(s);
        return s;
    }

    static Scope current() {
        return CURRENT.get();
    }

    void adopt(Tensor t) {
        owned.add(t);
    }

    /** Moves a tensor out of this scope into the enclosing one (or out of every scope), so it survives close(). */
    public Tensor keep(Tensor t) {
        if (t.scope == this) {
            t.scope = parent;
            if (parent != null) parent.adopt(t);
        }
        return t;
    }

    /**
     * Takes a tensor out of whatever scope owns it, so it lives until closed or collected: for state that outlives
     * a training step, such as optimizer moments or running statistics. Returns the tensor.
     */
    public static Tensor persist(Tensor t) {
        t.scope = null;
        return t;
    }

    @Override
    public void close() {
        if (closed) return;
        if (CURRENT.get() != this) {
            // Checked before marking closed, so the right close() can still run after this error.
            throw new IllegalStateException("Scope.close: scopes must be closed innermost first (and on the thread that opened them)");
        }
        closed = true;
        CURRENT.set(parent);
        for (Tensor t : owned) {
            if (t.scope == this) t.close();
        }
        owned.clear();
    }
}
