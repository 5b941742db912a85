package io.jgrad.spi;

import io.jgrad.DType;

/**
 * The scratch memory of {@link Backend}'s default convolution kernels, and the stride tricks on it: one zero-padded
 * image [c, h + pads, w + pads] (only when the geometry pads) and one column tile [c, kh, kw, rows, ow] of at most
 * {@link Backend#CONV_COLUMN_TILE} elements (or one output row, if a row alone is bigger). Everything here is a
 * copy, a fill or an add on strided views, so it runs on any backend.
 */
final class ConvColumns implements AutoCloseable {
    private final Backend backend;
    private final ConvGeometry g;
    private final Buffer padded;
    private final Buffer column;
    /** Output rows per column tile. */
    final int tileRows;

    ConvColumns(Backend backend, ConvGeometry g, DType dtype) {
        this.backend = backend;
        this.g = g;
        long perRow = (long) g.inChannels() * g.kernelH() * g.kernelW() * g.outW();
        this.tileRows = (int) Math.max(1, Math.min(g.outH(), Backend.CONV_COLUMN_TILE / perRow));
        this.padded = g.padded() ? backend.allocate(dtype, (long) g.inChannels() * g.paddedH() * g.paddedW()) : null;
        Buffer col = null;
        try {
            col = backend.allocate(dtype, perRow * tileRows);
        } finally {
            if (col == null && padded != null) padded.close();
        }
        this.column = col;
    }

    /** Image n of the input [n, c, h, w] as [c, h, w]. */
    private View image(View x, int n) {
        long plane = (long) g.inH() * g.inW();
        return new View(x.buffer, x.offset + n * g.inChannels() * plane, new int[]{g.inChannels(), g.inH(), g.inW()},
                new long[]{plane, g.inW(), 1});
    }

    /** The interior (the unpadded image) of the padded buffer, [c, h, w]. */
    private View interior() {
        long wp = g.paddedW(), plane = (long) g.paddedH() * wp;
        return new View(padded, g.padTop() * wp + g.padLeft(), new int[]{g.inChannels(), g.inH(), g.inW()},
                new long[]{plane, wp, 1});
    }

    private View whole() {
        return View.contiguous(padded, g.inChannels(), g.paddedH(), g.paddedW());
    }

    /** Image n of x, zero-padded when the geometry pads: [c, hp, wp]. */
    View paddedImage(View x, int n) {
        if (padded == null) return image(x, n);
        backend.fill(whole(), 0.0);
        backend.copy(interior(), image(x, n));
        return whole();
    }

    /** Where the input gradient of image n accumulates: the padded buffer, or gradX's image itself. */
    View paddedTarget(View gradX, int n) {
        return padded == null ? image(gradX, n) : whole();
    }

    /** Copies the accumulated padded gradient's interior into image n of gradX (nothing to do without padding). */
    void unpad(View gradX, int n, View target) {
        if (padded != null) backend.copy(image(gradX, n), interior());
    }

    /** The dense column tile for {@code rows} output rows: [c * kh * kw, rows * ow], groups one after another. */
    View column(int rows) {
        return View.contiguous(column, g.colRows() * g.groups(), rows * g.outW());
    }

    /**
     * The unfold of {@code src} [c, hp, wp] at output rows [oh0, oh0 + rows): element (c, i, j, r, q) is
     * src[c, (oh0 + r) * strideH + i * dilationH, q * strideW + j * dilationW], a pure stride trick; copied into the
     * column tile, which it returns.
     */
    View unfold(View src, int oh0, int rows) {
        long sc = src.strides[0], sh = src.strides[1], sw = src.strides[2];
        int[] shape = {g.inChannels(), g.kernelH(), g.kernelW(), rows, g.outW()};
        View view = new View(src.buffer, src.offset + (long) oh0 * g.strideH() * sh, shape,
                new long[]{sc, g.dilationH() * sh, g.dilationW() * sw, g.strideH() * sh, g.strideW() * sw});
        View col = View.contiguous(column, shape);
        backend.copy(col, view);
        return column(rows);
    }

    /** col2im: adds the column tile for rows [oh0, oh0 + rows) into target [c, hp, wp], one kernel tap at a time. */
    void fold(View target, View col, int oh0, int rows) {
        long sc = target.strides[0], sh = target.strides[1], sw = target.strides[2];
        int[] shape = {g.inChannels(), rows, g.outW()};
        long taps = (long) g.kernelH() * g.kernelW(), tap = (long) rows * g.outW();
        for (int i = 0; i < g.kernelH(); i++) {
            for (int j = 0; j < g.kernelW(); j++) {
                View t = new View(target.buffer, target.offset + ((long) oh0 * g.strideH() + (long) i * g.dilationH()) * sh
                        + (long) j * g.dilationW() * sw, shape, new long[]{sc, g.strideH() * sh, g.strideW() * sw});
                View c = new View(col.buffer, col.offset + (i * g.kernelW() + j) * tap, shape, new long[]{taps * tap, g.outW(), 1});
                backend.binary(BinaryOp.ADD, t, t, c);
            }
        }
    }

    @Override
    public void close() {
        column.close();
        if (padded != null) padded.close();
    }
}
