package io.jgrad;

/**
 * Removes a registered hook (PyTorch's {@code RemovableHandle}). Removing twice does nothing; as an
 * {@link AutoCloseable}, a handle can scope a hook to a try-with-resources block:
 * <pre>{@code
 * try (HookHandle h = activation.registerHook(g -> g.mul(0.5))) {
 *     loss.backward();
 * }
 * }</pre>
 */
public interface HookHandle extends AutoCloseable {
    /** Unregisters the hook; later backward passes no longer call it. */
    void remove();

    /** The same as {@link #remove()}. */
    @Override
    default void close() {
        remove();
    }
}
