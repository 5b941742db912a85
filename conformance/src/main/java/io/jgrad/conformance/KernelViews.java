package io.jgrad.conformance;

import io.jgrad.DType;
import io.jgrad.HalfFloat;
import io.jgrad.spi.Backend;
import io.jgrad.spi.Buffer;
import io.jgrad.spi.View;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.DoubleSupplier;

/**
 * Host-side helpers of {@link KernelConformance}: they place logical values into backend buffers under a chosen
 * layout (through upload only), read views back (through download only), and check that a kernel left the buffer
 * outside its output view alone. Unused buffer slots hold {@link #SENTINEL}.
 */
final class KernelViews {
    private KernelViews() {
    }

    /** Written into every buffer slot that no view element covers; exact in all three dtypes. */
    static final double SENTINEL = -7777.0;

    /** How a view's elements sit in its buffer. */
    enum Layout {
        /** Dense row-major from offset 0. */
        CONTIGUOUS,
        /** Dense row-major from a non-zero offset. */
        OFFSET,
        /** Dense in a permuted axis order (column-major for matrices). */
        TRANSPOSED,
        /** A window of a larger row-major array: padded rows, unit inner stride, offset start. */
        SLICED,
        /** Like SLICED, and every other element along the last axis. */
        STEPPED,
        /** Stride 0 along a random set of axes: the values repeat there (inputs only). */
        BROADCAST
    }

    static final Layout[] OUTPUT_LAYOUTS = {Layout.CONTIGUOUS, Layout.OFFSET, Layout.TRANSPOSED, Layout.SLICED, Layout.STEPPED};

    /** A view on a backend buffer and the logical values (row-major over the view's shape) placed into it. */
    static final class Operand {
        final View view;
        final double[] values;
        final Layout layout;

        Operand(View view, double[] values, Layout layout) {
            this.view = view;
            this.values = values;
            this.layout = layout;
        }

        @Override
        public String toString() {
            return layout + " " + view;
        }
    }

    /**
     * The dtypes the kernel conformance suite loops over; int32 and bool (no sentinel value, other conversion rules)
     * have their own suite, DTypeKernelSuite.
     */
    static final DType[] CORE_DTYPES = {DType.FLOAT32, DType.FLOAT64, DType.INT64};

    /**
     * Every dtype whose kernels this backend has: all of them, less float16 and bfloat16 where the backend refuses
     * them with UnsupportedOperationException (CUDA, until its half kernels exist).
     */
    static DType[] dtypesOf(Backend be) {
        List<DType> out = new ArrayList<>();
        for (DType dt : DType.values()) {
            if (dt.isHalf()) {
                try (Buffer probe = be.allocate(dt, 1)) {
                    be.fill(View.contiguous(probe, 1), 0);
                } catch (UnsupportedOperationException e) {
                    continue;
                }
            }
            out.add(dt);
        }
        return out.toArray(new DType[0]);
    }

    /** Uploads values (row-major over shape, already representable in dtype) under the given layout. */
    static Operand input(Backend be, DType dt, int[] shape, Layout layout, Random rnd, DoubleSupplier gen) {
        boolean[] repeat = new boolean[shape.length];
        if (layout == Layout.BROADCAST) {
            for (int d = 0; d < shape.length; d++) repeat[d] = shape[d] > 1 && rnd.nextBoolean();
            int any = -1;
            for (int d = 0; d < shape.length; d++) if (shape[d] > 1) any = d;
            boolean none = true;
            for (boolean b : repeat) none &= !b;
            if (none && any >= 0) repeat[any] = true;
        }
        // values: independent draws, except that broadcast axes repeat the value of index 0
        long n = View.numel(shape);
        double[] values = new double[(int) n];
        int[] idx = new int[shape.length];
        for (int i = 0; i < n; i++) {
            unravel(i, shape, idx);
            boolean first = true;
            for (int d = 0; d < shape.length; d++) first &= !repeat[d] || idx[d] == 0;
            if (first) {
                values[i] = representable(dt, gen.getAsDouble());
            } else {
                int[] src = idx.clone();
                for (int d = 0; d < shape.length; d++) if (repeat[d]) src[d] = 0;
                values[i] = values[ravel(src, shape)];
            }
        }
        return place(be, dt, shape, layout, rnd, values, repeat);
    }

    /** Uploads given logical values under the layout. */
    static Operand input(Backend be, DType dt, int[] shape, Layout layout, Random rnd, double[] values) {
        double[] v = values.clone();
        for (int i = 0; i < v.length; i++) v[i] = representable(dt, v[i]);
        return place(be, dt, shape, layout, rnd, v, new boolean[shape.length]);
    }

    /** An output view: every slot of its buffer starts as the sentinel. */
    static Operand output(Backend be, DType dt, int[] shape, Layout layout, Random rnd) {
        double[] values = new double[(int) View.numel(shape)];
        Arrays.fill(values, SENTINEL);
        return place(be, dt, shape, layout, rnd, values, new boolean[shape.length]);
    }

    private static Operand place(Backend be, DType dt, int[] shape, Layout layout, Random rnd, double[] values,
                                 boolean[] repeat) {
        int r = shape.length;
        long[] strides = new long[r];
        long offset = 0;
        long size;
        switch (layout) {
            case CONTIGUOUS:
            case OFFSET: {
                strides = View.contiguousStrides(shape);
                offset = layout == Layout.OFFSET ? 1 + rnd.nextInt(5) : 0;
                size = offset + View.numel(shape) + (layout == Layout.OFFSET ? rnd.nextInt(3) : 0);
                break;
            }
            case TRANSPOSED: {
                int[] perm = permutation(r, rnd);
                long acc = 1;
                for (int i = r - 1; i >= 0; i--) { // axis perm[i] is the i-th slowest in memory
                    strides[perm[i]] = acc;
                    acc *= shape[perm[i]];
                }
                offset = rnd.nextInt(3);
                size = offset + acc;
                break;
            }
            case SLICED:
            case STEPPED: {
                int[] parent = new int[r];
                int[] start = new int[r];
                for (int d = 0; d < r; d++) {
                    int pad = rnd.nextInt(3);
                    boolean step = layout == Layout.STEPPED && d == r - 1;
                    parent[d] = (step ? 2 * shape[d] : shape[d]) + pad;
                    start[d] = pad == 0 ? 0 : rnd.nextInt(pad + 1);
                }
                long[] ps = View.contiguousStrides(parent);
                for (int d = 0; d < r; d++) {
                    strides[d] = layout == Layout.STEPPED && d == r - 1 ? 2 * ps[d] : ps[d];
                    offset += start[d] * ps[d];
                }
                size = View.numel(parent);
                break;
            }
            case BROADCAST: {
                int[] stored = shape.clone();
                for (int d = 0; d < r; d++) if (repeat[d]) stored[d] = 1;
                long[] cs = View.contiguousStrides(stored);
                for (int d = 0; d < r; d++) strides[d] = repeat[d] ? 0 : cs[d];
                offset = rnd.nextInt(3);
                size = offset + View.numel(stored);
                break;
            }
            default:
                throw new IllegalArgumentException(layout.toString());
        }
        double[] physical = new double[(int) Math.max(size, 1)];
        Arrays.fill(physical, SENTINEL);
        int[] idx = new int[r];
        for (int i = 0; i < values.length; i++) {
            unravel(i, shape, idx);
            long at = offset;
            for (int d = 0; d < r; d++) at += idx[d] * strides[d];
            physical[(int) at] = values[i];
        }
        Buffer buf = upload(be, dt, physical);
        return new Operand(new View(buf, offset, shape.clone(), strides), values, layout);
    }

    /** Buffers made by these helpers on the current thread, closed by {@link #closeAll()} after each test. */
    private static final ThreadLocal<List<Buffer>> MADE = ThreadLocal.withInitial(ArrayList::new);

    static Buffer upload(Backend be, DType dt, double[] data) {
        Buffer b;
        switch (dt) {
            case FLOAT32: {
                float[] f = new float[data.length];
                for (int i = 0; i < f.length; i++) f[i] = (float) data[i];
                b = be.upload(f);
                break;
            }
            case FLOAT64:
                b = be.upload(data.clone());
                break;
            case INT64: {
                long[] l = new long[data.length];
                for (int i = 0; i < l.length; i++) l[i] = (long) data[i];
                b = be.upload(l);
                break;
            }
            case INT32: {
                int[] l = new int[data.length];
                for (int i = 0; i < l.length; i++) l[i] = (int) data[i];
                b = be.upload(l);
                break;
            }
            case FLOAT16:
            case BFLOAT16: {
                short[] h = new short[data.length];
                for (int i = 0; i < h.length; i++) h[i] = HalfFloat.fromFloat(dt, (float) data[i]);
                b = be.upload(h, dt);
                break;
            }
            default: {
                boolean[] l = new boolean[data.length];
                for (int i = 0; i < l.length; i++) l[i] = data[i] != 0;
                b = be.upload(l);
            }
        }
        MADE.get().add(b);
        return b;
    }

    /** Closes every buffer the helpers made on this thread (device backends free memory deterministically). */
    static void closeAll() {
        List<Buffer> made = MADE.get();
        for (Buffer b : made) b.close();
        made.clear();
    }

    /** The whole buffer as doubles. */
    static double[] readBuffer(Backend be, Buffer buf) {
        int n = (int) buf.length();
        double[] out = new double[n];
        switch (buf.dtype()) {
            case FLOAT32: {
                float[] f = new float[n];
                be.download(buf, 0, f, 0, n);
                for (int i = 0; i < n; i++) out[i] = f[i];
                break;
            }
            case FLOAT64:
                be.download(buf, 0, out, 0, n);
                break;
            case INT64: {
                long[] l = new long[n];
                be.download(buf, 0, l, 0, n);
                for (int i = 0; i < n; i++) out[i] = l[i];
                break;
            }
            case INT32: {
                int[] a = new int[n];
                be.download(buf, 0, a, 0, n);
                for (int i = 0; i < n; i++) out[i] = a[i];
                break;
            }
            case BOOL: {
                boolean[] b = new boolean[n];
                be.download(buf, 0, b, 0, n);
                for (int i = 0; i < n; i++) out[i] = b[i] ? 1 : 0;
                break;
            }
            case FLOAT16:
            case BFLOAT16: {
                short[] h = new short[n];
                be.download(buf, 0, h, 0, n);
                for (int i = 0; i < n; i++) out[i] = HalfFloat.toFloat(buf.dtype(), h[i]);
                break;
            }
            default: throw new IllegalArgumentException("readBuffer: unhandled dtype " + buf.dtype());
        }
        return out;
    }

    /** The view's elements in row-major order. */
    static double[] read(Backend be, View v) {
        double[] phys = readBuffer(be, v.buffer);
        double[] out = new double[(int) v.numel()];
        int[] idx = new int[v.rank()];
        for (int i = 0; i < out.length; i++) {
            unravel(i, v.shape, idx);
            long at = v.offset;
            for (int d = 0; d < idx.length; d++) at += idx[d] * v.strides[d];
            out[i] = phys[(int) at];
        }
        return out;
    }

    /** Fails unless every buffer slot outside the view still holds the sentinel. */
    static void assertUntouched(Backend be, View v, String what) {
        double[] phys = readBuffer(be, v.buffer);
        boolean[] inView = new boolean[phys.length];
        int[] idx = new int[v.rank()];
        for (int i = 0; i < v.numel(); i++) {
            unravel(i, v.shape, idx);
            long at = v.offset;
            for (int d = 0; d < idx.length; d++) at += idx[d] * v.strides[d];
            inView[(int) at] = true;
        }
        for (int i = 0; i < phys.length; i++) {
            if (!inView[i] && phys[i] != representable(v.dtype(), SENTINEL)) { // bool: true
                throw new AssertionError(what + ": slot " + i + " outside the output view " + v + " was overwritten with "
                        + phys[i]);
            }
        }
    }

    static double representable(DType dt, double v) {
        switch (dt) {
            case FLOAT32: return (float) v;
            case INT64: return Math.rint(v) + 0.0; // + 0.0 turns -0.0 into 0, the only int64 zero
            case INT32: return (int) Math.rint(v) + 0.0;
            case BOOL: return v != 0 ? 1 : 0;
            case FLOAT16:
            case BFLOAT16: return HalfFloat.round(dt, v);
            default: return v;
        }
    }

    static void unravel(long i, int[] shape, int[] idx) {
        for (int d = shape.length - 1; d >= 0; d--) {
            idx[d] = (int) (i % shape[d]);
            i /= shape[d];
        }
    }

    static int ravel(int[] idx, int[] shape) {
        int i = 0;
        for (int d = 0; d < shape.length; d++) i = i * shape[d] + idx[d];
        return i;
    }

    /** A random permutation of 0..r-1, not the identity when r &gt; 1. */
    private static int[] permutation(int r, Random rnd) {
        int[] p = new int[r];
        for (int i = 0; i < r; i++) p[i] = i;
        if (r < 2) return p;
        do {
            for (int i = r - 1; i > 0; i--) {
                int j = rnd.nextInt(i + 1);
                int t = p[i];
                p[i] = p[j];
                p[j] = t;
            }
        } while (isIdentity(p));
        return p;
    }

    private static boolean isIdentity(int[] p) {
        for (int i = 0; i < p.length; i++) if (p[i] != i) return false;
        return true;
    }

    /** A random shape of the given rank with sizes in [1, maxSize]. */
    static int[] randomShape(Random rnd, int rank, int maxSize) {
        int[] s = new int[rank];
        for (int d = 0; d < rank; d++) s[d] = 1 + rnd.nextInt(maxSize);
        return s;
    }

    static DoubleSupplier uniform(Random rnd, double lo, double hi) {
        return () -> lo + (hi - lo) * rnd.nextDouble();
    }
}
