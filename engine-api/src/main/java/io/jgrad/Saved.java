package io.jgrad;

/**
 * A tensor that a graph node keeps for its backward rule, with the version its storage had when it was saved (as
 * PyTorch's SavedVariable). A rule names its saved tensors as variables ({@code Saved sx = Saved.of(x)}) and reads
 * them with {@link #get()}; the node checks every one before the rule runs: freed by a scope, modified in place since,
 * or released by an earlier backward, each is a clear error naming the op rather than a wrong gradient.
 * <p>
 * The node holds its own reference to the storage: a view of the saved tensor made when it is saved, which belongs
 * to the Scope open at that moment. So closing the tensor the caller got back (as PyTorch frees a temporary when its
 * last Python reference goes) frees nothing a backward rule needs: the storage lives while the caller's tensor or a
 * node's reference is open. The node closes its references once its rule has run (unless the graph is kept), and the
 * Scope closes any it still holds when it ends.
 */
final class Saved {
    private Tensor tensor;
    private final int version;

    private Saved(Tensor t) {
        if (t.isClosed()) {
            throw new IllegalStateException("a tensor of shape " + t.shape() + " was closed before an op could save it for backward");
        }
        Tensor own = new Tensor(t.storage, t.shape, t.strides, t.offset); // the node's own reference
        own.requiresGrad = t.requiresGrad; // what a custom function's backward reads back looks like what it saved
        own.gradFn = t.gradFn;
        own.outputNr = t.outputNr;
        this.tensor = own;
        this.version = t.storage.version;
    }

    static Saved of(Tensor t) {
        return new Saved(t);
    }

    /** The saved tensor (the node's own view of it); only called from a rule, after the node has checked it. */
    Tensor get() {
        Tensor t = tensor;
        if (t == null) throw new IllegalStateException("a tensor saved for backward was read after its graph was released");
        return t;
    }

    /** Fails, naming the op, when the tensor cannot be trusted any more. */
    void check(String op) {
        Tensor t = tensor;
        if (t.isClosed()) {
            throw new IllegalStateException(op + ": a tensor saved for backward (shape " + t.shape()
                    + ") was freed by the Scope that owned it before backward ran; call backward() inside the scope that"
                    + " ran the forward pass");
        }
        if (t.storage.version != version) {
            throw new IllegalStateException(op + ": a tensor of shape " + t.shape() + " that this op saved"
                    + " for backward was modified by an in-place operation (version " + t.storage.version
                    + ", expected " + version + "); clone it before modifying it");
        }
    }

    /**
     * Drops the node's reference. With {@code close}, the reference is closed now, so the storage is freed if no other
     * tensor views it; without, or when the rule returned the very reference as a gradient, it is left to its Scope
     * (user code may still hold it: a custom function's backward).
     */
    void release(boolean close, Tensor[] returned) {
        Tensor t = tensor;
        tensor = null;
        if (!close || t == null) return;
        if (returned != null) for (Tensor r : returned) if (r == t) return;
        t.close();
    }
}
