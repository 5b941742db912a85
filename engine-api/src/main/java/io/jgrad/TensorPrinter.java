package io.jgrad;

import java.util.Locale;

/**
 * Formats tensors the way PyTorch prints them: "tensor([[1., 2.], [3., 4.]])" across lines, four decimals, or
 * scientific notation when magnitudes span a wide range; long dimensions are summarised with "...".
 */
final class TensorPrinter {
    private static final int SUMMARIZE_OVER = 1000;
    private static final int EDGE = 3;

    private TensorPrinter() {
    }

    static String print(Tensor t) {
        if (t.isClosed()) return "tensor(<closed>, shape=" + t.shape() + ")";
        double[] v = t.toDoubleArray();
        boolean integral = t.dtype() == DType.INT64;
        Format f = integral ? Format.INTEGER : chooseFormat(v);
        StringBuilder sb = new StringBuilder("tensor(");
        if (t.dim() == 0) {
            sb.append(f.format(v[0]));
        } else {
            boolean summarize = v.length > SUMMARIZE_OVER;
            int[] strides = new int[t.dim()];
            int acc = 1;
            for (int i = t.dim() - 1; i >= 0; i--) {
                strides[i] = acc;
                acc *= t.shape[i];
            }
            int width = 0;
            for (double x : v) width = Math.max(width, f.format(x).length());
            append(sb, v, t.shape, strides, 0, 0, f, width, summarize, "tensor(".length());
        }
        if (!t.device().equals(Device.CPU)) sb.append(", device='").append(t.device()).append('\'');
        if (t.dtype() == DType.FLOAT64) sb.append(", dtype=float64");
        if (t.gradFn != null) sb.append(", grad_fn=<").append(t.gradFn.name).append('>');
        else if (t.requiresGrad) sb.append(", requires_grad=True");
        return sb.append(')').toString();
    }

    private static void append(StringBuilder sb, double[] v, int[] shape, int[] strides, int dim, int base, Format f,
                               int width, boolean summarize, int indent) {
        sb.append('[');
        int n = shape[dim];
        boolean last = dim == shape.length - 1;
        for (int i = 0; i < n; i++) {
            if (summarize && n > 2 * EDGE && i == EDGE) {
                sb.append("...");
                i = n - EDGE - 1;
                sb.append(last ? ", " : ",\n" + " ".repeat(indent + dim + 1));
                continue;
            }
            if (last) {
                String s = f.format(v[base + i]);
                sb.append(" ".repeat(width - s.length())).append(s);
            } else {
                append(sb, v, shape, strides, dim + 1, base + i * strides[dim], f, width, summarize, indent);
            }
            if (i < n - 1) {
                if (last) sb.append(", ");
                else sb.append(",").append("\n".repeat(shape.length - dim - 1)).append(" ".repeat(indent + dim + 1));
            }
        }
        sb.append(']');
    }

    private enum Format {
        INTEGER, WHOLE, FIXED, SCIENTIFIC;

        String format(double x) {
            if (Double.isNaN(x)) return "nan";
            if (Double.isInfinite(x)) return x > 0 ? "inf" : "-inf";
            switch (this) {
                case INTEGER: return Long.toString((long) x);
                case WHOLE: return String.format(Locale.ROOT, "%.0f.", x);
                case FIXED: return String.format(Locale.ROOT, "%.4f", x);
                default: return String.format(Locale.ROOT, "%.4e", x);
            }
        }
    }

    private static Format chooseFormat(double[] v) {
        boolean whole = true;
        double maxAbs = 0, minAbs = Double.POSITIVE_INFINITY;
        for (double x : v) {
            if (Double.isNaN(x) || Double.isInfinite(x)) continue;
            double a = Math.abs(x);
            if (x != Math.rint(x)) whole = false;
            maxAbs = Math.max(maxAbs, a);
            if (a > 0) minAbs = Math.min(minAbs, a);
        }
        if (whole && maxAbs < 1e8) return Format.WHOLE;
        if (maxAbs >= 1e8 || (minAbs < 1e-4) || (minAbs != Double.POSITIVE_INFINITY && maxAbs / minAbs > 1e3)) {
            return Format.SCIENTIFIC;
        }
        return Format.FIXED;
    }
}
