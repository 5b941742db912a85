package io.jgrad;

import java.util.Locale;

/**
 * Formats tensors the way PyTorch prints them: "tensor([[1., 2.],\n        [3., 4.]])", four decimals, or scientific
 * notation when magnitudes span a wide range; tensors over 1000 elements show three items at each edge of every
 * dimension around "...". As in PyTorch, the format and column width are chosen from the elements shown.
 */
final class TensorPrinter {
    private static final int SUMMARIZE_OVER = 1000;
    private static final int EDGE = 3;

    private TensorPrinter() {
    }

    static String print(Tensor t) {
        if (t.isClosed()) return "tensor(<closed>, shape=" + t.shape() + ")";
        double[] v = t.toDoubleArray();
        boolean summarize = v.length > SUMMARIZE_OVER;
        int[] strides = new int[t.dim()];
        int acc = 1;
        for (int i = t.dim() - 1; i >= 0; i--) {
            strides[i] = acc;
            acc *= t.shape[i];
        }
        double[] shown = summarize ? shownValues(v, t.shape, strides) : v;
        Format f = t.dtype() == DType.BOOL ? Format.BOOL : t.dtype().isInteger() ? Format.INTEGER : chooseFormat(shown);
        int width = 0;
        for (double x : shown) {
            if (Double.isFinite(x)) width = Math.max(width, f.format(x).length()); // nan and inf do not widen columns
        }
        StringBuilder sb = new StringBuilder("tensor(");
        if (t.dim() == 0) {
            sb.append(f.format(v[0]));
        } else if (v.length == 0) {
            sb.append("[]");
        } else {
            append(sb, v, t.shape, strides, f, width, summarize, "tensor(".length());
        }
        // PyTorch's order of suffixes: device, size (of an empty tensor that is not 1-D), dtype, autograd.
        if (!t.device().equals(Device.CPU)) sb.append(", device='").append(t.device()).append('\'');
        if (v.length == 0 && t.dim() != 1) sb.append(", size=").append(t.shape().toString().replace('[', '(').replace(']', ')'));
        // PyTorch names the dtype unless it is the default float32 or one that the values already show (int64, bool);
        // an empty tensor always shows a non-default dtype. jgrad's own names, where PyTorch prints torch.float64.
        if (t.dtype() == DType.FLOAT64 || t.dtype() == DType.INT32 || t.dtype().isHalf() || (v.length == 0 && t.dtype() != DType.FLOAT32)) {
            sb.append(", dtype=").append(t.dtype());
        }
        if (t.gradFn != null) sb.append(", grad_fn=<").append(t.gradFn.name).append('>');
        else if (t.requiresGrad) sb.append(", requires_grad=True");
        return sb.append(')').toString();
    }

    /** The elements a summarised print shows: the first and last EDGE indices of every long dimension. */
    private static double[] shownValues(double[] v, int[] shape, int[] strides) {
        int[][] kept = new int[shape.length][];
        int count = 1;
        for (int d = 0; d < shape.length; d++) {
            int n = shape[d];
            if (n > 2 * EDGE) {
                kept[d] = new int[2 * EDGE];
                for (int i = 0; i < EDGE; i++) {
                    kept[d][i] = i;
                    kept[d][EDGE + i] = n - EDGE + i;
                }
            } else {
                kept[d] = new int[n];
                for (int i = 0; i < n; i++) kept[d][i] = i;
            }
            count *= kept[d].length;
        }
        double[] out = new double[count];
        int[] pos = new int[shape.length];
        for (int k = 0; k < count; k++) {
            int flat = 0;
            for (int d = 0; d < shape.length; d++) flat += kept[d][pos[d]] * strides[d];
            out[k] = v[flat];
            for (int d = shape.length - 1; d >= 0 && ++pos[d] == kept[d].length; d--) pos[d] = 0;
        }
        return out;
    }

    /**
     * Writes the nested lists with a loop over an explicit index per dimension rather than a call per dimension,
     * so a tensor of any rank prints (recursion overflowed the stack near rank 5,000).
     */
    private static void append(StringBuilder sb, double[] v, int[] shape, int[] strides, Format f, int width,
                               boolean summarize, int indent) {
        int rank = shape.length;
        int[] index = new int[rank];
        int[] base = new int[rank];
        int dim = 0;
        sb.append('[');
        while (true) {
            int n = shape[dim];
            int i = index[dim];
            boolean last = dim == rank - 1;
            if (i >= n) {
                sb.append(']');
                if (dim == 0) return;
                dim--; // back to the parent, whose element i is now written
                if (index[dim] < shape[dim] - 1) sb.append(rowSeparator(rank, dim, indent));
                index[dim]++;
            } else if (summarize && n > 2 * EDGE && i == EDGE) {
                // PyTorch writes " ..." among numbers and "..." on a line of its own between rows.
                sb.append(last ? " ..." : "...").append(last ? ", " : rowSeparator(rank, dim, indent));
                index[dim] = n - EDGE;
            } else if (last) {
                String s = f.format(v[base[dim] + i]);
                sb.append(" ".repeat(Math.max(0, width - s.length()))).append(s);
                if (i < n - 1) sb.append(", ");
                index[dim]++;
            } else {
                int child = dim + 1;
                base[child] = base[dim] + i * strides[dim];
                index[child] = 0;
                dim = child;
                sb.append('[');
            }
        }
    }

    /** Between two rows of dimension {@code dim}: a comma, a blank line per dimension below, and the indent. */
    private static String rowSeparator(int rank, int dim, int indent) {
        return ",".concat("\n".repeat(rank - dim - 1)).concat(" ".repeat(indent + dim + 1));
    }

    private enum Format {
        INTEGER, BOOL, WHOLE, FIXED, SCIENTIFIC;

        String format(double x) {
            if (Double.isNaN(x)) return "nan";
            if (Double.isInfinite(x)) return x > 0 ? "inf" : "-inf";
            return switch (this) {
                case INTEGER -> Long.toString((long) x);
                case BOOL -> x != 0 ? "True" : "False";
                case WHOLE -> String.format(Locale.ROOT, "%.0f.", x);
                case FIXED -> String.format(Locale.ROOT, "%.4f", x);
                case SCIENTIFIC -> String.format(Locale.ROOT, "%.4e", x);
            };
        }
    }

    /** PyTorch's rule: scientific when the finite non-zero magnitudes span more than 1e3, exceed 1e8 or go below 1e-4. */
    private static Format chooseFormat(double[] v) {
        boolean whole = true;
        double maxAbs = 0, minAbs = Double.POSITIVE_INFINITY;
        for (double x : v) {
            if (Double.isNaN(x) || Double.isInfinite(x)) continue;
            if (x != Math.rint(x)) whole = false;
            double a = Math.abs(x);
            if (a == 0) continue;
            maxAbs = Math.max(maxAbs, a);
            minAbs = Math.min(minAbs, a);
        }
        if (minAbs == Double.POSITIVE_INFINITY) return whole ? Format.WHOLE : Format.FIXED; // only zeros and non-finite
        boolean wide = maxAbs / minAbs > 1e3 || maxAbs > 1e8;
        if (whole) return wide ? Format.SCIENTIFIC : Format.WHOLE;
        return wide || minAbs < 1e-4 ? Format.SCIENTIFIC : Format.FIXED;
    }
}
