package io.jgrad;

/**
 * A tensor that a graph node keeps for its backward rule, with the version its storage had when it was saved (as
 * PyTorch's SavedVariable). A rule names its saved tensors as variables ({@code Saved sx = Saved.of(x)}) and reads
 * them with {@link #get()}; the node checks every one before the rule runs: freed by a scope, modified in place since,
 * or released by an earlier backward, each is a clear error naming the op rather than a wrong gradient.
 */
final class Saved {
    private Tensor tensor;
    private final int version;

    private Saved(Tensor tensor) {
        this.tensor = tensor;
        this.version = tensor.storage.version;
    }

    static Saved of(Tensor t) {
        return new Saved(t);
    }

    /** The saved tensor; only called from a rule, after the node has checked it. */
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
                    + ") was freed, by close() or by the Scope that owned it, before backward ran");
        }
        if (t.storage.version != version) {
            throw new IllegalStateException(op + ": a tensor of shape " + t.shape() + " that this op saved"
                    + " for backward was modified by an in-place operation (version " + t.storage.version
                    + ", expected " + version + "); clone it before modifying it");
        }
    }

    void release() {
        tensor = null;
    }
}
