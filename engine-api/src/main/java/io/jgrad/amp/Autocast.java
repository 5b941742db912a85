package io.jgrad.amp;

import io.jgrad.DType;
import io.jgrad.Grad;
import io.jgrad.Tensor;
import java.util.IdentityHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Automatic mixed precision, as {@code torch.autocast}: inside a scope, the ops listed in {@link AutocastOp} run in
 * a half-precision dtype (matmul, linear, convolutions, attention) or in float32 (softmax, losses, norms,
 * reductions, exp and log), whatever the dtype of their inputs; every other op runs in its inputs' dtype.
 * <pre>{@code
 * try (var ac = Autocast.enable(DType.BFLOAT16)) {
 *     Tensor loss = Losses.crossEntropy(model.forward(x), y); // linear layers in bfloat16, the loss in float32
 * }
 * loss.backward();                                            // parameters stay float32, so do their gradients
 * }</pre>
 * The casts are ordinary differentiable {@code to(DType)} calls, so gradients flow back to float32 parameters in
 * float32. A float32 leaf that requires grad (a parameter) is cast once per scope and reused (PyTorch's weight cast
 * cache): a weight used by two ops, or by every step of a loop inside the scope, is converted once; the cached copy
 * is dropped when the parameter changes in place (an optimizer step) and when the outermost scope closes. float64
 * tensors are never cast.
 * <p>
 * Scopes are per thread and nest: an inner {@link #disable()} scope, or one with another dtype, holds until it
 * closes, and closing (by try-with-resources, so also after an exception) restores the enclosing setting. Scopes
 * must close innermost first. Backward passes run with autocast off: a backward op runs in the dtype its forward op
 * ran in. The scope applies to every device.
 */
public final class Autocast implements AutoCloseable {
    /** Open scopes that enable autocast, on all threads: while 0, {@link #active()} costs one read. */
    private static final AtomicInteger ENABLED_ANYWHERE = new AtomicInteger();
    private static final ThreadLocal<State> STATE = ThreadLocal.withInitial(State::new);

    /** One thread's setting. */
    private static final class State {
        /** The autocast dtype, or null when autocast is off (or suspended while an op runs). */
        DType dtype;
        Autocast innermost;
        final IdentityHashMap<Tensor, Cached> cache = new IdentityHashMap<>();
    }

    /** A parameter's cast: valid while the parameter keeps its version and the cast is open. */
    private record Cached(DType dtype, int version, Tensor cast) {
    }

    private final State state;
    private final DType previous;
    private final Autocast outer;
    private final boolean enabling;
    private boolean closed;

    private Autocast(State state, DType dtype) {
        this.state = state;
        this.previous = state.dtype;
        this.outer = state.innermost;
        this.enabling = dtype != null;
        state.dtype = dtype;
        state.innermost = this;
        if (enabling) ENABLED_ANYWHERE.incrementAndGet();
    }

    /**
     * A scope in which the listed ops run in {@code dtype}, float16 or bfloat16 (torch.autocast(device_type,
     * dtype=...)).
     */
    public static Autocast enable(DType dtype) {
        if (dtype == null || !isHalf(dtype)) {
            throw new IllegalArgumentException("Autocast.enable: the autocast dtype must be a half-precision floating type"
                    + " (float16 or bfloat16), got " + dtype);
        }
        return new Autocast(STATE.get(), dtype);
    }

    /** A scope in which autocast is off, inside an enabled one (torch.autocast(..., enabled=False)). */
    public static Autocast disable() {
        return new Autocast(STATE.get(), null);
    }

    /** Whether autocast is on for this thread (and not suspended by a running op or backward pass). */
    public static boolean active() {
        return ENABLED_ANYWHERE.get() > 0 && STATE.get().dtype != null;
    }

    /** Whether autocast is on for this thread (torch.is_autocast_enabled()). */
    public static boolean isEnabled() {
        return active();
    }

    /** The dtype of this thread's autocast scope, or null when autocast is off. */
    public static DType dtype() {
        return STATE.get().dtype;
    }

    /**
     * Whether an input of dtype {@code input} meets a parameter of dtype {@code param} legitimately because autocast
     * will cast them to the op's dtype: both are float32 or half-precision and autocast is on. Modules use it to
     * accept a bfloat16 activation against their float32 weights inside a scope.
     */
    public static boolean reconciles(DType input, DType param) {
        return input == param || active() && eligible(input) && eligible(param);
    }

    /**
     * Runs {@code op} on {@code inputs} cast as its row says, with autocast suspended while the op runs, so that the
     * ops it is built from do not cast again. Null inputs (an absent bias) pass through.
     */
    public static Tensor call(AutocastOp op, Function<Tensor[], Tensor> body, Tensor... inputs) {
        State s = STATE.get();
        DType dtype = s.dtype;
        if (dtype == null) return body.apply(inputs);
        Tensor[] cast = castAll(s, op, dtype, inputs);
        s.dtype = null;
        Tensor result;
        try {
            result = body.apply(cast);
        } finally {
            s.dtype = dtype;
        }
        // The casts are the op's temporaries: closed now (a node that saved one keeps its own reference), except a
        // parameter's, which the cache reuses until the scope ends.
        for (int i = 0; i < cast.length; i++) {
            Tensor c = cast[i], t = inputs[i];
            boolean cached = t != null && t.dtype() == DType.FLOAT32 && t.isLeaf() && t.requiresGrad();
            if (c != t && c != result && !cached) c.close();
        }
        return result;
    }

    /**
     * The inputs cast as {@code op}'s row says (the same array when autocast is off): for a {@link
     * AutocastOp.Policy#LOWER} op, float32 and half inputs go to the scope's dtype, a parameter's cast coming from
     * the cache; for a {@link AutocastOp.Policy#FLOAT32} op, half inputs go to float32. For code that calls kernels
     * of its own under the policy of a listed op.
     */
    public static Tensor[] cast(AutocastOp op, Tensor... inputs) {
        State s = STATE.get();
        if (s.dtype == null || ENABLED_ANYWHERE.get() == 0) return inputs;
        return castAll(s, op, s.dtype, inputs);
    }

    private static Tensor[] castAll(State s, AutocastOp op, DType dtype, Tensor[] inputs) {
        Tensor[] out = inputs.clone();
        AutocastOp.Policy policy = op.policy();
        if (policy == AutocastOp.Policy.PROMOTE) {
            DType first = null;
            boolean mixed = false;
            for (Tensor t : out) {
                if (t == null || !eligible(t.dtype())) continue;
                if (first == null) first = t.dtype();
                else mixed |= t.dtype() != first;
            }
            if (!mixed) return out;
            policy = AutocastOp.Policy.FLOAT32;
        }
        for (int i = 0; i < out.length; i++) {
            Tensor t = out[i];
            if (t == null || !eligible(t.dtype())) continue;
            if (policy == AutocastOp.Policy.FLOAT32) {
                if (t.dtype() != DType.FLOAT32) out[i] = t.to(DType.FLOAT32);
            } else if (t.dtype() != dtype) {
                out[i] = lower(s, t, dtype);
            }
        }
        return out;
    }

    /** t in dtype; a float32 leaf that requires grad (a parameter) through the cache. */
    private static Tensor lower(State s, Tensor t, DType dtype) {
        boolean cacheable = t.dtype() == DType.FLOAT32 && t.isLeaf() && t.requiresGrad();
        if (!cacheable) return t.to(dtype);
        Cached c = s.cache.get(t);
        // A cast made with grad off has no graph: with grad on, cast again so that the gradient reaches t.
        if (c != null && c.dtype == dtype && c.version == t.version() && !c.cast.isClosed()
                && (c.cast.requiresGrad() || !Grad.isEnabled())) {
            return c.cast;
        }
        Tensor cast = t.to(dtype);
        s.cache.put(t, new Cached(dtype, t.version(), cast));
        return cast;
    }

    /** How many parameter casts this thread's scope holds (for tests and diagnostics). */
    public static int cachedCasts() {
        return STATE.get().cache.size();
    }

    /** Floating and not float64: the dtypes autocast converts (PyTorch's eligibility rule). */
    private static boolean eligible(DType t) {
        return t.isFloating() && t != DType.FLOAT64;
    }

    private static boolean isHalf(DType t) {
        return t.isHalf();
    }

    /** Restores the enclosing setting; the outermost scope also drops the cached parameter casts. */
    @Override
    public void close() {
        if (closed) return;
        if (STATE.get() != state || state.innermost != this) {
            throw new IllegalStateException("Autocast.close: autocast scopes must be closed innermost first, on the thread that"
                    + " opened them");
        }
        closed = true;
        state.dtype = previous;
        state.innermost = outer;
        if (enabling) ENABLED_ANYWHERE.decrementAndGet();
        if (outer == null) state.cache.clear();
    }
}
