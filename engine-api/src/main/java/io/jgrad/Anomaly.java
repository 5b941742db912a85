package io.jgrad;

/** The checks behind {@link Grad#detectAnomaly()}: find the first op whose forward or backward made NaN or Inf. */
final class Anomaly {
    private Anomaly() {
    }

    static void checkForward(Tensor out) {
        String bad = firstNonFinite(out);
        if (bad != null) {
            Node n = out.gradFn;
            throw new ArithmeticException("anomaly: the forward of " + opName(n.name) + " produced " + bad + " in its output of shape "
                    + out.shape() + "; the op was called at " + n.creationSite());
        }
    }

    /** The op as a user calls it, from the name of the node it records: "MatmulBackward" is matmul. */
    static String opName(String nodeName) {
        String op = nodeName.endsWith("Backward") ? nodeName.substring(0, nodeName.length() - "Backward".length()) : nodeName;
        return op.isEmpty() ? nodeName : Character.toLowerCase(op.charAt(0)) + op.substring(1);
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
