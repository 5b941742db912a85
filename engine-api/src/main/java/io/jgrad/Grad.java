package io.jgrad;

/**
 * Per-thread autograd switches. {@code try (var g = Grad.disabled()) { ... }} records no graph inside the block;
 * {@link #detectAnomaly()} turns on NaN/Inf checks that name the op and where it was created.
 */
public final class Grad {
    private static final ThreadLocal<int[]> STATE = ThreadLocal.withInitial(() -> new int[2]); // [disabledDepth, anomalyDepth]

    private Grad() {
    }

    /** A scope in which no graph is recorded (PyTorch's torch.no_grad()). */
    public static Mode disabled() {
        int[] s = STATE.get();
        s[0]++;
        return new Mode(s, 0);
    }

    /**
     * A scope in which every forward and backward result is checked for NaN and Inf; the first op that produces one
     * fails with its name and the place in user code that created it. Slow: for debugging only.
     */
    public static Mode detectAnomaly() {
        int[] s = STATE.get();
        s[1]++;
        return new Mode(s, 1);
    }

    public static boolean isEnabled() {
        return STATE.get()[0] == 0;
    }

    public static boolean isAnomalyDetectionEnabled() {
        return STATE.get()[1] > 0;
    }

    /** Closing a mode restores the previous setting. */
    public static final class Mode implements AutoCloseable {
        private final int[] state;
        private final int slot;
        private boolean closed;

        private Mode(int[] state, int slot) {
            this.state = state;
            this.slot = slot;
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                state[slot]--;
            }
        }
    }
}
