package io.jgrad.nn;

/** Python-style printing of the size arguments of the pooling and resampling modules: {@code 2} or {@code (2, 3)}. */
final class PoolSizes {
    private PoolSizes() {
    }

    static String repr(int[] v) {
        return v.length == 1 ? Integer.toString(v[0]) : "(" + v[0] + ", " + v[1] + ")";
    }

    static String repr(double[] v) {
        return v.length == 1 ? Double.toString(v[0]) : "(" + v[0] + ", " + v[1] + ")";
    }

    static String bool(boolean b) {
        return b ? "True" : "False";
    }
}
