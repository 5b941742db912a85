package io.jgrad;

/** The checks behind {@link Grad#detectAnomaly()}: find the first op whose forward or backward made NaN or Inf. */
final class Anomaly {
    private Anomaly() {
    }

    static void checkForward(Tensor out) {
        String bad = firstNonFinite(out);
        if (bad != null) {
            Node n = out.gradFn;
            throw new ArithmeticException("anomaly: " + n.name + " produced " + bad + " in its forward output of shape "
                    + out.shape() + "; the op was created at " + n.creationSite());
        }
    }

    static void checkBackward(Node node, Tensor grad, int input) {
        String bad = firstNonFinite(grad);
        if (bad != null) {
            throw new ArithmeticException("anomaly: " + node.name + " produced " + bad + " in the gradient of its input "
                    + input + " (shape " + grad.shape() + "); the op was created at " + node.creationSite());
        }
    }

    private static String firstNonFinite(Tensor t) {
        if (!t.dtype().isFloating()) return null;
        double[] v = t.toDoubleArray();
        for (int i = 0; i < v.length; i++) {
            if (Double.isNaN(v[i])) return "NaN (at flat index " + i + ")";
            if (Double.isInfinite(v[i])) return v[i] + " (at flat index " + i + ")";
        }
        return null;
    }
}
