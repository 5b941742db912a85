package io.jgrad.nn;

import java.util.Arrays;

/** The argument handling the convolution modules share: (h, w) pairs and PyTorch's tuple printing. */
final class ConvArgs {
    private ConvArgs() {
    }

    /** One value for both axes or two (h, w), each at least {@code min}. */
    static int[] pair(String who, String what, int[] v, int min) {
        int[] p = switch (v == null ? 0 : v.length) {
            case 1 -> new int[]{v[0], v[0]};
            case 2 -> v.clone();
            default -> throw new IllegalArgumentException(who + ": " + what + " takes 1 or 2 values, got " + Arrays.toString(v));
        };
        if (p[0] < min || p[1] < min) {
            throw new IllegalArgumentException(who + ": " + what + " must be at least " + min + ", got " + Arrays.toString(v));
        }
        return p;
    }

    /** "(3, 3)", or "(3,)" for one value, as Python prints tuples. */
    static String tuple(int... v) {
        if (v.length == 1) return "(" + v[0] + ",)";
        StringBuilder s = new StringBuilder("(");
        for (int i = 0; i < v.length; i++) s.append(i == 0 ? "" : ", ").append(v[i]);
        return s.append(")").toString();
    }
}
