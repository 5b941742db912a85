package io.jgrad.spi;

import io.jgrad.DType;

/**
 * The SPI defaults of {@link Backend#layerNormForward} and {@link Backend#layerNormBackward}, composed of
 * primitives (reduce along the last axis, broadcast element-wise ops), so that every backend is correct; a backend
 * overrides them with one pass over each row.
 */
final class LayerNormDefaults {
    private LayerNormDefaults() {
    }

    static void forward(Backend be, View out, View mean, View rstd, View x, View weight, View bias, double eps) {
        int n = x.shape[0], c = x.shape[1];
        try (Buffer centeredBuf = be.allocate(x.dtype(), (long) n * c)) {
            View centered = View.contiguous(centeredBuf, n, c);
            be.reduce(ReduceOp.SUM, column(mean), x, 1);
            be.unary(UnaryOp.AFFINE, mean, mean, 1.0 / c, 0);
            be.binary(BinaryOp.SUB, centered, x, across(mean, c));
            be.unary(UnaryOp.SQUARE, out, centered, 0, 0); // out as scratch until the end
            be.reduce(ReduceOp.SUM, column(rstd), out, 1);
            be.unary(UnaryOp.AFFINE, rstd, rstd, 1.0 / c, eps);
            be.unary(UnaryOp.RSQRT, rstd, rstd, 0, 0);
            be.binary(BinaryOp.MUL, out, centered, across(rstd, c));
            if (weight != null) be.binary(BinaryOp.MUL, out, out, Views.rows(weight, n));
            if (bias != null) be.binary(BinaryOp.ADD, out, out, Views.rows(bias, n));
        }
    }

    /**
     * With xhat = (x - mean) * rstd and gw = gradOut * weight: gradBias = column sums of gradOut, gradWeight = those
     * of gradOut * xhat, gradX = rstd * (gw - rowmean(gw) - xhat * rowmean(gw * xhat)).
     */
    static void backward(Backend be, View gradX, View gradWeight, View gradBias, View gradOut, View x, View mean, View rstd,
                         View weight) {
        int n = x.shape[0], c = x.shape[1];
        DType dt = x.dtype();
        try (Buffer xhatBuf = be.allocate(dt, (long) n * c); Buffer tBuf = be.allocate(dt, (long) n * c)) {
            View xhat = View.contiguous(xhatBuf, n, c), t = View.contiguous(tBuf, n, c);
            be.binary(BinaryOp.SUB, xhat, x, across(mean, c));
            be.binary(BinaryOp.MUL, xhat, xhat, across(rstd, c));
            if (gradBias != null) be.reduce(ReduceOp.SUM, Views.row(gradBias), gradOut, 0);
            if (gradWeight != null) {
                be.binary(BinaryOp.MUL, t, gradOut, xhat);
                be.reduce(ReduceOp.SUM, Views.row(gradWeight), t, 0);
            }
            if (gradX == null) return;
            try (Buffer gwBuf = be.allocate(dt, (long) n * c); Buffer aBuf = be.allocate(dt, n); Buffer bBuf = be.allocate(dt, n)) {
                View gw = View.contiguous(gwBuf, n, c), a = View.contiguous(aBuf, n), b = View.contiguous(bBuf, n);
                if (weight != null) be.binary(BinaryOp.MUL, gw, gradOut, Views.rows(weight, n));
                else be.copy(gw, gradOut);
                be.reduce(ReduceOp.SUM, column(a), gw, 1);
                be.unary(UnaryOp.AFFINE, a, a, 1.0 / c, 0);
                be.binary(BinaryOp.MUL, t, gw, xhat);
                be.reduce(ReduceOp.SUM, column(b), t, 1);
                be.unary(UnaryOp.AFFINE, b, b, 1.0 / c, 0);
                be.binary(BinaryOp.MUL, t, xhat, across(b, c));
                be.binary(BinaryOp.ADD, t, t, across(a, c));
                be.binary(BinaryOp.SUB, gradX, gw, t);
                be.binary(BinaryOp.MUL, gradX, gradX, across(rstd, c));
            }
        }
    }

    /** A vector [n] as the column [n, 1], the output of a reduction along the last axis. */
    private static View column(View v) {
        return new View(v.buffer, v.offset, new int[]{v.shape[0], 1}, new long[]{v.strides[0], 0});
    }

    /** A vector [n] repeated along c columns, [n, c], without copying (column stride 0). */
    private static View across(View v, int c) {
        return new View(v.buffer, v.offset, new int[]{v.shape[0], c}, new long[]{v.strides[0], 0});
    }
}
