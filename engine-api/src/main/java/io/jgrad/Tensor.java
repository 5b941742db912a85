package io.jgrad;

import io.jgrad.spi.Backend;
import io.jgrad.spi.BinaryOp;
import io.jgrad.spi.Buffer;
import io.jgrad.spi.Distribution;
import io.jgrad.spi.ReduceOp;
import io.jgrad.spi.UnaryOp;
import io.jgrad.spi.View;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * An n-dimensional array on a device, with reverse-mode automatic differentiation. Names follow PyTorch.
 * <p>
 * A tensor is a strided view (shape, strides, offset) of a storage that views share. Ops record a graph node when
 * any input requires grad and grad mode is on ({@link Grad}); {@link #backward()} walks that graph.
 * Each op's forward and backward rule live together in one file per op family: {@code Elementwise},
 * {@code Reductions}, {@code MatMul}, {@code ViewOps}, {@code Indexing}, {@code SoftmaxOps}.
 * <p>
 * Thread safety: a tensor and the graph it belongs to may be used by one thread at a time; independent graphs on
 * different threads are fine. Grad mode, anomaly mode and scopes are per thread.
 */
public final class Tensor implements AutoCloseable {
    final Storage storage;
    final int[] shape;
    final long[] strides;
    final long offset;

    boolean requiresGrad;
    Tensor grad;
    Node gradFn;
    Scope scope;
    private boolean closed;
    /** A label for {@link #toDot()}, set by the user; null by default. */
    private String name;

    Tensor(Storage storage, int[] shape, long[] strides, long offset) {
        this.storage = storage;
        this.shape = shape;
        this.strides = strides;
        this.offset = offset;
        storage.retain();
        Scope s = Scope.current();
        if (s != null) {
            scope = s;
            s.adopt(this);
        }
    }

    // ------------------------------------------------------------------ factories

    /** A new contiguous tensor with uninitialised memory. */
    static Tensor empty(Backend backend, DType dtype, int[] shape) {
        long n = View.numel(shape);
        Buffer b;
        try {
            b = backend.allocate(dtype, n);
        } catch (OutOfMemoryError e) {
            throw Allocation.outOfMemory(dtype, shape, n, backend.device(), e);
        }
        return new Tensor(new Storage(backend, b), shape, View.contiguousStrides(shape), 0);
    }

    static Tensor emptyLike(Tensor t) {
        return empty(t.backend(), t.dtype(), t.shape.clone());
    }

    static Backend defaultBackend() {
        return Backends.get(Backends.defaultDevice());
    }

    private static int[] checkShape(String op, long numel, int[] shape) {
        long elements = View.numel(op, shape); // refuses negative sizes and counts that overflow a long
        if (numel >= 0 && elements != numel) {
            throw new IllegalArgumentException(op + ": " + numel + " values cannot fill shape " + Arrays.toString(shape)
                    + " (" + elements + " elements)");
        }
        return shape.clone();
    }

    /**
     * A float32 tensor on the default device holding a copy of {@code data}. No shape means 1-D; for rank 0 use
     * {@link #scalar(float)} (an empty shape array cannot be told apart from no shape).
     */
    public static Tensor of(float[] data, int... shape) {
        return of(data, Backends.defaultDevice(), shape);
    }

    /** A float64 tensor on the default device holding a copy of {@code data}. */
    public static Tensor of(double[] data, int... shape) {
        return of(data, Backends.defaultDevice(), shape);
    }

    /** An int64 tensor (class indices, for example) on the default device. */
    public static Tensor of(long[] data, int... shape) {
        return of(data, Backends.defaultDevice(), shape);
    }

    /** An int32 tensor on the default device. */
    public static Tensor of(int[] data, int... shape) {
        return of(data, Backends.defaultDevice(), shape);
    }

    /** A bool tensor (a mask) on the default device. */
    public static Tensor of(boolean[] data, int... shape) {
        return of(data, Backends.defaultDevice(), shape);
    }

    /** An int32 tensor on {@code device} holding a copy of {@code data}. */
    public static Tensor of(int[] data, Device device, int... shape) {
        int[] s = checkShape("Tensor.of", data.length, shape.length == 0 ? new int[]{data.length} : shape);
        Backend b = Backends.get(device);
        return new Tensor(new Storage(b, b.upload(data)), s, View.contiguousStrides(s), 0);
    }

    /** A bool tensor on {@code device} holding a copy of {@code data}. */
    public static Tensor of(boolean[] data, Device device, int... shape) {
        int[] s = checkShape("Tensor.of", data.length, shape.length == 0 ? new int[]{data.length} : shape);
        Backend b = Backends.get(device);
        return new Tensor(new Storage(b, b.upload(data)), s, View.contiguousStrides(s), 0);
    }

    /** A float32 tensor on {@code device} holding a copy of {@code data}, uploaded there directly. No shape means 1-D. */
    public static Tensor of(float[] data, Device device, int... shape) {
        int[] s = checkShape("Tensor.of", data.length, shape.length == 0 ? new int[]{data.length} : shape);
        Backend b = Backends.get(device);
        return new Tensor(new Storage(b, b.upload(data)), s, View.contiguousStrides(s), 0);
    }

    /** A float64 tensor on {@code device} holding a copy of {@code data}. */
    public static Tensor of(double[] data, Device device, int... shape) {
        int[] s = checkShape("Tensor.of", data.length, shape.length == 0 ? new int[]{data.length} : shape);
        Backend b = Backends.get(device);
        return new Tensor(new Storage(b, b.upload(data)), s, View.contiguousStrides(s), 0);
    }

    /** An int64 tensor on {@code device} holding a copy of {@code data}. */
    public static Tensor of(long[] data, Device device, int... shape) {
        int[] s = checkShape("Tensor.of", data.length, shape.length == 0 ? new int[]{data.length} : shape);
        Backend b = Backends.get(device);
        return new Tensor(new Storage(b, b.upload(data)), s, View.contiguousStrides(s), 0);
    }

    /** A float32 tensor of rank 0 (shape []) on the default device. */
    public static Tensor scalar(float value) {
        // Not of(data, new int[0]): an empty varargs array means "1-D" there.
        Backend b = defaultBackend();
        return new Tensor(new Storage(b, b.upload(new float[]{value})), new int[0], new long[0], 0);
    }

    /** A float64 tensor of rank 0 (shape []) on the default device. */
    public static Tensor scalar(double value) {
        Backend b = defaultBackend();
        return new Tensor(new Storage(b, b.upload(new double[]{value})), new int[0], new long[0], 0);
    }

    /** An int64 tensor of rank 0 on the default device. */
    public static Tensor scalar(long value) {
        Backend b = defaultBackend();
        return new Tensor(new Storage(b, b.upload(new long[]{value})), new int[0], new long[0], 0);
    }

    /** A bool tensor of rank 0 on the default device. */
    public static Tensor scalar(boolean value) {
        Backend b = defaultBackend();
        return new Tensor(new Storage(b, b.upload(new boolean[]{value})), new int[0], new long[0], 0);
    }

    /** A tensor of the given dtype, device and shape with every element set to {@code value}. */
    public static Tensor full(double value, DType dtype, Device device, int... shape) {
        Tensor t = empty(Backends.get(device), dtype, checkShape("full", -1, shape));
        t.backend().fill(t.view(), value);
        return t;
    }

    /** A float32 tensor on the default device filled with {@code value}. */
    public static Tensor full(double value, int... shape) {
        return full(value, DType.FLOAT32, Backends.defaultDevice(), shape);
    }

    /** A float32 tensor of zeros on the default device. */
    public static Tensor zeros(int... shape) {
        return full(0, shape);
    }

    /** Zeros of the given dtype on the default device. */
    public static Tensor zeros(DType dtype, int... shape) {
        return full(0, dtype, Backends.defaultDevice(), shape);
    }

    /** Zeros of the given dtype on the given device. */
    public static Tensor zeros(DType dtype, Device device, int... shape) {
        return full(0, dtype, device, shape);
    }

    /** A float32 tensor of ones on the default device. */
    public static Tensor ones(int... shape) {
        return full(1, shape);
    }

    /** Ones of the given dtype on the default device. */
    public static Tensor ones(DType dtype, int... shape) {
        return full(1, dtype, Backends.defaultDevice(), shape);
    }

    /** Ones of the given dtype on the given device. */
    public static Tensor ones(DType dtype, Device device, int... shape) {
        return full(1, dtype, device, shape);
    }

    /** Zeros with t's shape, dtype and device. */
    public static Tensor zerosLike(Tensor t) {
        return full(0, t.dtype(), t.device(), t.shape.clone());
    }

    /** Ones with t's shape, dtype and device. */
    public static Tensor onesLike(Tensor t) {
        return full(1, t.dtype(), t.device(), t.shape.clone());
    }

    /** {@code value} everywhere, with t's shape, dtype and device. */
    public static Tensor fullLike(Tensor t, double value) {
        return full(value, t.dtype(), t.device(), t.shape.clone());
    }

    /** Values start, start+step, ... below end, as float32 (PyTorch's torch.arange). */
    public static Tensor arange(double start, double end, double step) {
        return arange(start, end, step, DType.FLOAT32, Backends.defaultDevice());
    }

    /** 0, 1, ..., end - 1 as int64, as torch.arange(int) gives; {@code arange(0, end, 1.0)} gives float32. */
    public static Tensor arange(long end) {
        return arange(0, end, 1);
    }

    /** start, start + step, ... below end, as int64 (torch.arange with integer arguments). */
    public static Tensor arange(long start, long end, long step) {
        if (step == 0) throw new IllegalArgumentException("arange: step must be non-zero, got " + step);
        long n = step > 0 ? (end - start + step - 1) / step : (start - end - step - 1) / -step;
        if (n < 0) n = 0;
        if (n > Integer.MAX_VALUE - 8) throw new IllegalArgumentException("arange: " + n + " elements is too many");
        long[] v = new long[(int) n];
        for (int i = 0; i < n; i++) v[i] = start + i * step;
        return of(v);
    }

    /** start, start + step, ... up to but excluding end, in the given dtype and device. */
    public static Tensor arange(double start, double end, double step, DType dtype, Device device) {
        if (!Double.isFinite(start) || !Double.isFinite(end) || !Double.isFinite(step)) {
            throw new IllegalArgumentException("arange: start, end and step must be finite, got " + start + ", " + end + ", " + step);
        }
        if (step == 0) throw new IllegalArgumentException("arange: step must be non-zero, got " + step);
        long n = (long) Math.ceil((end - start) / step);
        if (n < 0) n = 0;
        if (n > Integer.MAX_VALUE) throw new IllegalArgumentException("arange: " + n + " elements is too many");
        Backend b = Backends.get(device);
        Buffer buf = switch (dtype) {
            case FLOAT32 -> {
                float[] v = new float[(int) n];
                for (int i = 0; i < n; i++) v[i] = (float) (start + i * step);
                yield b.upload(v);
            }
            case FLOAT64 -> {
                double[] v = new double[(int) n];
                for (int i = 0; i < n; i++) v[i] = start + i * step;
                yield b.upload(v);
            }
            case INT64 -> {
                long[] v = new long[(int) n];
                for (int i = 0; i < n; i++) v[i] = (long) (start + i * step);
                yield b.upload(v);
            }
            case INT32 -> {
                int[] v = new int[(int) n];
                for (int i = 0; i < n; i++) v[i] = (int) (start + i * step);
                yield b.upload(v);
            }
            case FLOAT16, BFLOAT16 -> { // PyTorch computes the values in float32, then rounds them once
                short[] v = new short[(int) n];
                for (int i = 0; i < n; i++) v[i] = HalfFloat.fromFloat(dtype, (float) (start + i * step));
                yield b.upload(v, dtype);
            }
            case BOOL -> throw new IllegalArgumentException("arange: dtype " + dtype + " is not numeric");
        };
        int[] s = {(int) n};
        return new Tensor(new Storage(b, buf), s, View.contiguousStrides(s), 0);
    }

    /**
     * Reseeds the global generator that every random factory without a {@link Generator} argument draws from, like
     * {@code torch.manual_seed}: after {@code Tensor.manualSeed(42)} a program's random tensors and default
     * initialisations repeat from run to run and on every backend.
     */
    public static void manualSeed(long seed) {
        Generator.global().manualSeed(seed);
    }

    /** Float32 uniform on [0, 1) of the given shape, on the default device, from the global generator. */
    public static Tensor rand(int... shape) {
        return rand(Generator.global(), shape);
    }

    /** Float32 standard normal of the given shape, on the default device, from the global generator. */
    public static Tensor randn(int... shape) {
        return randn(Generator.global(), shape);
    }

    /** Float32 uniform on [0, 1), drawn from {@code gen}: the same numbers on every backend for the same stream. */
    public static Tensor rand(Generator gen, int... shape) {
        return random(Distribution.UNIFORM, 0, 1, DType.FLOAT32, Backends.defaultDevice(), gen, shape);
    }

    /** Float32 standard normal, drawn from {@code gen}: the same numbers on every backend for the same stream. */
    public static Tensor randn(Generator gen, int... shape) {
        return random(Distribution.NORMAL, 0, 1, DType.FLOAT32, Backends.defaultDevice(), gen, shape);
    }

    /**
     * Uniform on [a, b) or normal with mean a and standard deviation b, with full control of dtype, device and
     * generator; the numbers depend only on the generator's stream, not on the backend.
     */
    public static Tensor random(Distribution distribution, double a, double b, DType dtype, Device device, Generator gen, int... shape) {
        if (gen == null) throw new IllegalArgumentException("random: generator is null (use Generator.global() for the global one)");
        if (!dtype.isFloating()) throw new IllegalArgumentException("random: dtype must be floating, got " + dtype);
        if (distribution == Distribution.UNIFORM && !(a <= b)) {
            throw new IllegalArgumentException("random: uniform needs low <= high, got [" + a + ", " + b + ")");
        }
        if (distribution == Distribution.NORMAL && !(b >= 0)) {
            throw new IllegalArgumentException("random: normal needs std >= 0, got " + b);
        }
        Tensor t = empty(Backends.get(device), dtype, checkShape("random", -1, shape));
        t.backend().random(t.view(), distribution, gen.nextSeed(), a, b);
        return t;
    }

    // ------------------------------------------------------------------ accessors

    /** The size of each dimension. */
    public Shape shape() {
        return Shape.wrap(shape.clone());
    }

    int[] shapeArray() {
        return shape.clone();
    }

    /** Size of one dimension; negative dims count from the end. */
    public int size(int dim) {
        if (shape.length == 0) throw new IndexOutOfBoundsException("size: a tensor of rank 0 has no dimension " + dim);
        return shape[ViewOps.axis("size", this, dim)];
    }

    /** Number of dimensions. */
    public int dim() {
        return shape.length;
    }

    /** The number of elements. */
    public long numel() {
        return View.numel(shape);
    }

    /** The element type. */
    public DType dtype() {
        return storage.buffer.dtype();
    }

    /** The device holding the memory. */
    public Device device() {
        return storage.backend.device();
    }

    Backend backend() {
        return storage.backend;
    }

    /** The kernel-level view of this tensor. */
    View view() {
        if (closed || storage.isFreed()) {
            throw new IllegalStateException("tensor of shape " + Arrays.toString(shape) + " on " + device() + " was closed");
        }
        return new View(storage.buffer, offset, shape, strides);
    }

    boolean isContiguous() {
        long expected = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            if (shape[i] != 1 && strides[i] != expected) return false;
            expected *= shape[i];
        }
        return true;
    }

    /** The single value of a one-element tensor (bool: 1 or 0). */
    public double item() {
        oneElement("item");
        return toDoubleArray()[0];
    }

    /** The single value of a one-element tensor as a long (floating values truncate toward zero). */
    public long itemLong() {
        oneElement("itemLong");
        return toLongArray()[0];
    }

    /** The single value of a one-element tensor as a boolean (non-zero is true). */
    public boolean itemBoolean() {
        oneElement("itemBoolean");
        return toBooleanArray()[0];
    }

    private void oneElement(String op) {
        if (numel() != 1) {
            throw new IllegalArgumentException(op + ": only one-element tensors can be converted to a number, got shape " + shape());
        }
    }

    /** float16 or bfloat16 elements downloaded as their bit patterns. */
    record HalfBits(DType dtype, short[] bits) {
        float[] floats() {
            float[] out = new float[bits.length];
            for (int i = 0; i < bits.length; i++) out[i] = HalfFloat.toFloat(dtype, bits[i]);
            return out;
        }
    }

    /**
     * The bit patterns of a float16 or bfloat16 tensor's elements in row-major order (as {@link HalfFloat} reads
     * them): what safetensors stores.
     */
    public short[] toHalfBits() {
        if (!dtype().isHalf()) throw new IllegalArgumentException("toHalfBits: the tensor is " + dtype() + ", not float16 or bfloat16");
        return ((HalfBits) host("toHalfBits")).bits();
    }

    /** A tensor of the float16 or bfloat16 values with these bit patterns, on the default device. */
    public static Tensor ofHalfBits(short[] bits, DType dtype, int... shape) {
        return ofHalfBits(bits, dtype, Backends.defaultDevice(), shape);
    }

    /** A float16 or bfloat16 tensor on {@code device} holding these bit patterns, uploaded unchanged. */
    public static Tensor ofHalfBits(short[] bits, DType dtype, Device device, int... shape) {
        if (!dtype.isHalf()) throw new IllegalArgumentException("Tensor.ofHalfBits: dtype must be float16 or bfloat16, got " + dtype);
        int[] s = checkShape("Tensor.ofHalfBits", bits.length, shape.length == 0 ? new int[]{bits.length} : shape);
        Backend b = Backends.get(device);
        return new Tensor(new Storage(b, b.upload(bits, dtype)), s, View.contiguousStrides(s), 0);
    }

    /** A copy of the elements in row-major order, converted to float (integers are rounded, bools give 1 or 0). */
    public float[] toFloatArray() {
        Object h = host("toFloatArray");
        if (h instanceof float[] f) return f;
        if (h instanceof HalfBits hb) return hb.floats();
        if (h instanceof long[] l) { // directly, not through double: one rounding
            float[] out = new float[l.length];
            for (int i = 0; i < l.length; i++) out[i] = l[i];
            return out;
        }
        double[] d = toDoubles(h);
        float[] out = new float[d.length];
        for (int i = 0; i < d.length; i++) out[i] = (float) d[i];
        return out;
    }

    /** A copy of the elements in row-major order, converted to double. */
    public double[] toDoubleArray() {
        return toDoubles(host("toDoubleArray"));
    }

    private static double[] toDoubles(Object h) {
        if (h instanceof double[] d) return d;
        if (h instanceof HalfBits hb) h = hb.floats();
        int n = java.lang.reflect.Array.getLength(h);
        double[] out = new double[n];
        if (h instanceof float[] f) for (int i = 0; i < n; i++) out[i] = f[i];
        else if (h instanceof long[] l) for (int i = 0; i < n; i++) out[i] = l[i];
        else if (h instanceof int[] a) for (int i = 0; i < n; i++) out[i] = a[i];
        else { boolean[] b = (boolean[]) h; for (int i = 0; i < n; i++) out[i] = b[i] ? 1 : 0; }
        return out;
    }

    /** A copy of the elements in row-major order; floating values are truncated toward zero, as a cast does. */
    public long[] toLongArray() {
        Object h = host("toLongArray");
        if (h instanceof HalfBits hb) h = hb.floats();
        if (h instanceof long[] l) return l;
        int n = java.lang.reflect.Array.getLength(h);
        long[] out = new long[n];
        if (h instanceof int[] a) for (int i = 0; i < n; i++) out[i] = a[i];
        else if (h instanceof boolean[] b) for (int i = 0; i < n; i++) out[i] = b[i] ? 1 : 0;
        else { double[] d = toDoubles(h); for (int i = 0; i < n; i++) out[i] = (long) d[i]; }
        return out;
    }

    /** A copy of the elements in row-major order as int (int64 keeps its low 32 bits, floating values truncate). */
    public int[] toIntArray() {
        Object h = host("toIntArray");
        if (h instanceof HalfBits hb) h = hb.floats();
        if (h instanceof int[] a) return a;
        long[] l = h instanceof long[] ll ? ll : null;
        int n = java.lang.reflect.Array.getLength(h);
        int[] out = new int[n];
        if (l != null) for (int i = 0; i < n; i++) out[i] = (int) l[i];
        else if (h instanceof boolean[] b) for (int i = 0; i < n; i++) out[i] = b[i] ? 1 : 0;
        else { double[] d = toDoubles(h); for (int i = 0; i < n; i++) out[i] = (int) d[i]; }
        return out;
    }

    /** A copy of the elements in row-major order as booleans: non-zero (NaN included) is true, as to(BOOL) casts. */
    public boolean[] toBooleanArray() {
        Object h = host("toBooleanArray");
        if (h instanceof HalfBits hb) h = hb.floats();
        if (h instanceof boolean[] b) return b;
        int n = java.lang.reflect.Array.getLength(h);
        boolean[] out = new boolean[n];
        if (h instanceof long[] l) for (int i = 0; i < n; i++) out[i] = l[i] != 0;
        else if (h instanceof int[] a) for (int i = 0; i < n; i++) out[i] = a[i] != 0;
        else { double[] d = toDoubles(h); for (int i = 0; i < n; i++) out[i] = d[i] != 0; }
        return out;
    }

    /**
     * The elements in row-major order, downloaded into a new array of this tensor's own element type (float[],
     * double[], long[], int[] or boolean[]; float16 and bfloat16 as {@link HalfBits}). Conversions to another element type happen on the host, so no device
     * kernel or temporary buffer of another dtype is needed; only a non-contiguous tensor is first copied into dense
     * memory on its device.
     */
    Object host(String op) {
        view(); // fails on a closed tensor
        long count = numel();
        if (count > Integer.MAX_VALUE - 8) throw new IllegalStateException(op + ": " + count + " elements do not fit in a Java array");
        int n = (int) count;
        Tensor c = this;
        if (!isContiguous()) {
            try (Grad.Mode ignored = Grad.disabled()) {
                c = Scope.persist(empty(backend(), dtype(), shape.clone()));
                backend().copy(c.view(), view());
            }
        }
        Backend b = c.backend();
        Buffer buf = c.storage.buffer;
        Object out = switch (dtype()) {
            case FLOAT32 -> { float[] a = new float[n]; b.download(buf, c.offset, a, 0, n); yield a; }
            case FLOAT64 -> { double[] a = new double[n]; b.download(buf, c.offset, a, 0, n); yield a; }
            case INT64 -> { long[] a = new long[n]; b.download(buf, c.offset, a, 0, n); yield a; }
            case INT32 -> { int[] a = new int[n]; b.download(buf, c.offset, a, 0, n); yield a; }
            case BOOL -> { boolean[] a = new boolean[n]; b.download(buf, c.offset, a, 0, n); yield a; }
            case FLOAT16, BFLOAT16 -> { short[] a = new short[n]; b.download(buf, c.offset, a, 0, n); yield new HalfBits(dtype(), a); }
        };
        if (c != this) c.close();
        return out;
    }

    /** Whether gradients flow to this tensor (set on leaves, inherited by results). */
    public boolean requiresGrad() {
        return requiresGrad;
    }

    /** Marks a leaf tensor as a variable to differentiate with respect to; returns this tensor for chaining. */
    public Tensor requiresGrad(boolean requires) {
        if (gradFn != null && !requires) {
            throw new IllegalStateException("requiresGrad(false): only leaf tensors can stop requiring grad; use detach()");
        }
        if (requires && !dtype().isFloating()) {
            throw new IllegalArgumentException("requiresGrad: only floating tensors can require gradients, got " + dtype());
        }
        requiresGrad = requires;
        return this;
    }

    /** The accumulated gradient of a leaf (or of a non-leaf after {@link #retainGrad()}), or null before any backward pass reached it. */
    public Tensor grad() {
        return grad;
    }

    /** Replaces the gradient (null clears it, as optimizers' zeroGrad does). */
    public void setGrad(Tensor g) {
        if (g != null && (!Arrays.equals(g.shape, shape) || g.dtype() != dtype() || !g.device().equals(device()))) {
            throw new IllegalArgumentException("setGrad: gradient " + g.dtype() + g.shape() + " on " + g.device()
                    + " does not match tensor " + dtype() + shape() + " on " + device());
        }
        if (g != null) Scope.persist(g);
        grad = g;
    }

    /** True unless an op recorded in the graph produced this tensor. */
    public boolean isLeaf() {
        return gradFn == null;
    }

    /** The name of the op that made this tensor, such as "MulBackward", or null for a leaf. */
    public String gradFnName() {
        return gradFn == null ? null : gradFn.name;
    }

    // ------------------------------------------------------------------ autograd

    /** Backpropagates from a one-element tensor, accumulating into the .grad of every leaf that requires grad. */
    public void backward() {
        Autograd.backward(this, null, false);
    }

    /** Backpropagates with an explicit gradient of this tensor's shape (needed for non-scalar outputs). */
    public void backward(Tensor gradient) {
        Autograd.backward(this, gradient, false);
    }

    /** As {@link #backward(Tensor)}; with {@code keepGraph} the saved tensors stay so backward can run again. */
    public void backward(Tensor gradient, boolean keepGraph) {
        Autograd.backward(this, gradient, keepGraph);
    }

    /** The same data, cut out of the graph. */
    public Tensor detach() {
        return new Tensor(storage, shape, strides, offset);
    }

    /** A contiguous copy that stays in the graph. */
    @Override
    public Tensor clone() {
        return ViewOps.copy(this);
    }

    /**
     * Graphviz DOT text of the graph that produced this tensor, laid out top to bottom: name (see {@link #name(String)}),
     * op and shape of each node, and a few values of data and grad for graphs of up to 60 nodes. Render it with
     * {@code dot -Tpng}.
     */
    public String toDot() {
        return GraphDot.of(this, null);
    }

    /**
     * As {@link #toDot()}, with the tensors of {@code names} labelled by their keys, such as
     * {@code loss.toDot(model.namedParameters())} (torchviz's {@code params}); a key wins over {@link #name()}.
     */
    public String toDot(Map<String, Tensor> names) {
        return GraphDot.of(this, names);
    }

    /**
     * Names this tensor for {@link #toDot()} (and nothing else: ops do not pass names on). Returns this, so that
     * {@code Tensor w = Tensor.randn(...).name("w")} reads naturally.
     */
    public Tensor name(String name) {
        this.name = name;
        return this;
    }

    /** The name given with {@link #name(String)}, or null. */
    public String name() {
        return name;
    }

    // ------------------------------------------------------------------ element-wise

    /** this + other, broadcasting. */
    public Tensor add(Tensor other) { return Elementwise.binary(BinaryOp.ADD, this, other); }

    /** this - other, broadcasting. */
    public Tensor sub(Tensor other) { return Elementwise.binary(BinaryOp.SUB, this, other); }

    /** this * other element-wise, broadcasting. */
    public Tensor mul(Tensor other) { return Elementwise.binary(BinaryOp.MUL, this, other); }

    /** this / other element-wise, broadcasting. */
    public Tensor div(Tensor other) { return Elementwise.binary(BinaryOp.DIV, this, other); }

    /** this raised to exponent element-wise, broadcasting (differentiable in the exponent for positive bases). */
    public Tensor pow(Tensor exponent) { return Elementwise.binary(BinaryOp.POW, this, exponent); }

    /** Element-wise maximum, broadcasting; equal elements split the gradient. */
    public Tensor maximum(Tensor other) { return Elementwise.binary(BinaryOp.MAX, this, other); }

    /** floor(this / other) in the promoted dtype (torch.floor_divide); integer division by zero throws. Not differentiable. */
    public Tensor floorDivide(Tensor other) { return Elementwise.binary(BinaryOp.FLOOR_DIVIDE, this, other); }

    /** this - floor(this / other) * other, with the sign of other (torch.remainder, Python's %). */
    public Tensor remainder(Tensor other) { return Elementwise.remainder(this, other); }

    /** floorDivide by a Java number. */
    public Tensor floorDivide(double s) { return Elementwise.scalar(BinaryOp.FLOOR_DIVIDE, this, s); }

    /** floorDivide by a Java integer: an integer tensor stays in its dtype. */
    public Tensor floorDivide(long s) { return Elementwise.scalar(BinaryOp.FLOOR_DIVIDE, this, s); }

    /** remainder by a Java number. */
    public Tensor remainder(double s) { return Elementwise.remainder(this, Elementwise.scalarTensor(this, s)); }

    /** remainder by a Java integer: an integer tensor stays in its dtype. */
    public Tensor remainder(long s) { return Elementwise.remainder(this, Elementwise.scalarTensor(this, s)); }

    /** Adds a Java integer: an integer tensor stays in its dtype (int32 + 2 is int32), a floating one adds s. */
    public Tensor add(long s) { return isFloat() ? add((double) s) : Elementwise.scalar(BinaryOp.ADD, this, s); }

    /** Subtracts a Java integer. */
    public Tensor sub(long s) { return isFloat() ? sub((double) s) : Elementwise.scalar(BinaryOp.SUB, this, s); }

    /** Multiplies by a Java integer. */
    public Tensor mul(long s) { return isFloat() ? mul((double) s) : Elementwise.scalar(BinaryOp.MUL, this, s); }

    /** True division by a Java integer: integer tensors give float32, as in PyTorch. */
    public Tensor div(long s) { return isFloat() ? div((double) s) : Elementwise.scalar(BinaryOp.DIV, this, s); }

    private boolean isFloat() {
        return dtype().isFloating();
    }

    /** Element-wise minimum, broadcasting; equal elements split the gradient. */
    public Tensor minimum(Tensor other) { return Elementwise.binary(BinaryOp.MIN, this, other); }

    /** this + s. */
    public Tensor add(double s) { return isFloat() ? Elementwise.unary(UnaryOp.AFFINE, "AddBackward", this, 1, HalfScalars.addend(this, s)) : Elementwise.scalar(BinaryOp.ADD, this, s); }

    /** this - s. */
    public Tensor sub(double s) { return isFloat() ? Elementwise.unary(UnaryOp.AFFINE, "SubBackward", this, 1, -HalfScalars.addend(this, s)) : Elementwise.scalar(BinaryOp.SUB, this, s); }

    /** this * s. */
    public Tensor mul(double s) {
        if (dtype().isHalf()) return HalfScalars.inFloat32(BinaryOp.MUL, this, s);
        return isFloat() ? Elementwise.unary(UnaryOp.AFFINE, "MulBackward", this, s, 0) : Elementwise.scalar(BinaryOp.MUL, this, s);
    }

    /** this / s. */
    public Tensor div(double s) { // x / s, correctly rounded as in PyTorch (not x * (1/s))
        return dtype().isHalf() ? HalfScalars.inFloat32(BinaryOp.DIV, this, s) : Elementwise.scalar(BinaryOp.DIV, this, s);
    }

    /** s - this. */
    public Tensor rsub(double s) { return Elementwise.unary(UnaryOp.AFFINE, "RsubBackward", this, -1, HalfScalars.addend(this, s)); }

    /** s / this. */
    public Tensor rdiv(double s) { return Elementwise.unary(UnaryOp.RDIV, this, s, 0); }

    /** this raised to a constant power. */
    public Tensor pow(double exponent) { return Elementwise.unary(UnaryOp.POW, this, HalfScalars.addend(this, exponent), 0); }

    /**
     * Any declared element-wise op, by its {@link UnaryOp} constant: {@code x.apply(UnaryOp.EXP)} is {@code x.exp()}.
     * Every op declared in UnaryOp is usable this way, with its gradient, as soon as it is declared.
     */
    public Tensor apply(UnaryOp op) { return Elementwise.unary(op, this, 0, 0); }

    /** A declared element-wise op with its constant parameters a and b (see each {@link UnaryOp} constant). */
    public Tensor apply(UnaryOp op, double a, double b) { return Elementwise.unary(op, this, a, b); }

    /** -this. */
    public Tensor neg() { return isFloat() ? Elementwise.unary(UnaryOp.NEG, this, 0, 0) : Elementwise.negInteger(this); }

    /** e to the power of each element. */
    public Tensor exp() { return Elementwise.unary(UnaryOp.EXP, this, 0, 0); }

    /** Natural logarithm. */
    public Tensor log() { return Elementwise.unary(UnaryOp.LOG, this, 0, 0); }

    /** Square root. */
    public Tensor sqrt() { return Elementwise.unary(UnaryOp.SQRT, this, 0, 0); }

    /** 1 / sqrt(this). */
    public Tensor rsqrt() { return Elementwise.unary(UnaryOp.RSQRT, this, 0, 0); }

    /** this * this. */
    public Tensor square() { return Elementwise.unary(UnaryOp.SQUARE, this, 0, 0); }

    /** 1 / this. */
    public Tensor reciprocal() { return Elementwise.unary(UnaryOp.RECIPROCAL, this, 0, 0); }

    /** Hyperbolic tangent. */
    public Tensor tanh() { return Elementwise.unary(UnaryOp.TANH, this, 0, 0); }

    /** 1 / (1 + exp(-this)). */
    public Tensor sigmoid() { return Elementwise.unary(UnaryOp.SIGMOID, this, 0, 0); }

    /** max(this, 0), as PyTorch: NaN and -0 pass through, and the gradient passes where the output is not &lt;= 0. */
    public Tensor relu() { return Elementwise.unary(UnaryOp.RELU, this, 0, 0); }

    /** this where positive, else negativeSlope * this. */
    public Tensor leakyRelu(double negativeSlope) { return Elementwise.unary(UnaryOp.LEAKY_RELU, this, negativeSlope, 0); }

    /** Exact (erf-based) GELU, PyTorch's default. */
    public Tensor gelu() { return Elementwise.unary(UnaryOp.GELU, this, 0, 0); }

    /** Absolute value; its gradient at 0 is 0. */
    public Tensor abs() { return isFloat() ? Elementwise.unary(UnaryOp.ABS, this, 0, 0) : Elementwise.absInteger(this); }

    /** -1, 0 or 1; not differentiable (zero gradient). */
    public Tensor sign() { return Elementwise.unary(UnaryOp.SIGN, this, 0, 0); }

    /** Sine. */
    public Tensor sin() { return Elementwise.unary(UnaryOp.SIN, this, 0, 0); }

    /** Cosine. */
    public Tensor cos() { return Elementwise.unary(UnaryOp.COS, this, 0, 0); }

    /** Each element limited to [min, max]; the gradient is 1 inside and 0 outside. */
    public Tensor clamp(double min, double max) {
        if (min > max) throw new IllegalArgumentException("clamp: min " + min + " > max " + max);
        return Elementwise.unary(UnaryOp.CLAMP, this, min, max);
    }

    /** max(this, min). */
    public Tensor clampMin(double min) { return clamp(min, Double.POSITIVE_INFINITY); }

    /**
     * True where this == o (broadcasting; a bool result, not differentiable). The operands are compared in their
     * promoted dtype ({@link Promotion}). Likewise ne, lt, le, gt, ge; the scalar forms compare with a Java number.
     */
    public Tensor eq(Tensor o) { return Elementwise.binary(BinaryOp.EQ, this, o); }

    /** True where this != o. */
    public Tensor ne(Tensor o) { return Elementwise.binary(BinaryOp.NE, this, o); }

    /** True where this &lt; o. */
    public Tensor lt(Tensor o) { return Elementwise.binary(BinaryOp.LT, this, o); }

    /** True where this &lt;= o. */
    public Tensor le(Tensor o) { return Elementwise.binary(BinaryOp.LE, this, o); }

    /** True where this &gt; o. */
    public Tensor gt(Tensor o) { return Elementwise.binary(BinaryOp.GT, this, o); }

    /** True where this &gt;= o. */
    public Tensor ge(Tensor o) { return Elementwise.binary(BinaryOp.GE, this, o); }

    /** True where this == s. */
    public Tensor eq(double s) { return Elementwise.scalar(BinaryOp.EQ, this, s); }

    /** True where this != s. */
    public Tensor ne(double s) { return Elementwise.scalar(BinaryOp.NE, this, s); }

    /** True where this &lt; s. */
    public Tensor lt(double s) { return Elementwise.scalar(BinaryOp.LT, this, s); }

    /** True where this &lt;= s. */
    public Tensor le(double s) { return Elementwise.scalar(BinaryOp.LE, this, s); }

    /** True where this &gt; s. */
    public Tensor gt(double s) { return Elementwise.scalar(BinaryOp.GT, this, s); }

    /** True where this &gt;= s. */
    public Tensor ge(double s) { return Elementwise.scalar(BinaryOp.GE, this, s); }

    /**
     * condition ? x : y element-wise, broadcasting all three (torch.where). The condition must be bool (a comparison's
     * result); x and y promote to a common dtype.
     */
    public static Tensor where(Tensor condition, Tensor x, Tensor y) {
        return Elementwise.where(condition, x, y);
    }

    /** where(condition, x, y) with a Java number for y, which promotes as a scalar (torch.where(c, x, 0.0)). */
    public static Tensor where(Tensor condition, Tensor x, double y) {
        return Elementwise.where(condition, x, Elementwise.scalarTensor(x, y));
    }

    /** where(condition, x, y) with a Java number for x. */
    public static Tensor where(Tensor condition, double x, Tensor y) {
        return Elementwise.where(condition, Elementwise.scalarTensor(y, x), y);
    }

    /** This tensor with value wherever the bool mask is true (torch.masked_fill); the mask broadcasts to this shape. */
    public Tensor maskedFill(Tensor mask, double value) { return Elementwise.maskedFill(this, mask, value); }

    /** this == s for an integer s, compared in this tensor's dtype when it is an integer one. */
    public Tensor eq(long s) { return Elementwise.scalar(BinaryOp.EQ, this, s); }

    /** this != s for an integer s. */
    public Tensor ne(long s) { return Elementwise.scalar(BinaryOp.NE, this, s); }

    /** this &lt; s for an integer s. */
    public Tensor lt(long s) { return Elementwise.scalar(BinaryOp.LT, this, s); }

    /** this &lt;= s for an integer s. */
    public Tensor le(long s) { return Elementwise.scalar(BinaryOp.LE, this, s); }

    /** this &gt; s for an integer s. */
    public Tensor gt(long s) { return Elementwise.scalar(BinaryOp.GT, this, s); }

    /** this &gt;= s for an integer s. */
    public Tensor ge(long s) { return Elementwise.scalar(BinaryOp.GE, this, s); }

    /** this == s for a boolean s. */
    public Tensor eq(boolean s) { return Elementwise.scalar(BinaryOp.EQ, this, s); }

    /** this != s for a boolean s. */
    public Tensor ne(boolean s) { return Elementwise.scalar(BinaryOp.NE, this, s); }

    /** Element-wise and of the operands' truth values (non-zero is true); a bool result. */
    public Tensor logicalAnd(Tensor o) { return Elementwise.logical(BinaryOp.LOGICAL_AND, this, o); }

    /** Element-wise or of the operands' truth values; a bool result. */
    public Tensor logicalOr(Tensor o) { return Elementwise.logical(BinaryOp.LOGICAL_OR, this, o); }

    /** Element-wise exclusive or of the operands' truth values; a bool result. */
    public Tensor logicalXor(Tensor o) { return Elementwise.logical(BinaryOp.NE, this, o); }

    /** True where this is zero (false); a bool result. */
    public Tensor logicalNot() { return Elementwise.logicalNot(this); }

    // ------------------------------------------------------------------ reductions

    /** The sum of all elements, as a tensor of rank 0. */
    public Tensor sum() { return Reductions.sumAll(this); }

    /** Sums along dim; keepDim keeps it as size 1. */
    public Tensor sum(int dim, boolean keepDim) { return Reductions.sum(this, dim, keepDim); }

    /** The mean of all elements, as a tensor of rank 0. */
    public Tensor mean() { return Reductions.meanAll(this); }

    /** The mean along dim. */
    public Tensor mean(int dim, boolean keepDim) { return Reductions.mean(this, dim, keepDim); }

    /** The largest element, as a tensor of rank 0. */
    public Tensor max() { return Reductions.extremeAll(ReduceOp.MAX, this); }

    /** The largest element along dim; the gradient goes to the first maximum. */
    public Tensor max(int dim, boolean keepDim) { return Reductions.extreme(ReduceOp.MAX, this, dim, keepDim); }

    /** The smallest element, as a tensor of rank 0. */
    public Tensor min() { return Reductions.extremeAll(ReduceOp.MIN, this); }

    /** The smallest element along dim; the gradient goes to the first minimum. */
    public Tensor min(int dim, boolean keepDim) { return Reductions.extreme(ReduceOp.MIN, this, dim, keepDim); }

    /** Index of the largest element of the flattened tensor, as int64. */
    public Tensor argmax() { return Reductions.argAll(ReduceOp.ARGMAX, this); }

    /** Indices (int64) of the largest elements along dim; the first one on ties. */
    public Tensor argmax(int dim, boolean keepDim) { return Reductions.arg(ReduceOp.ARGMAX, this, dim, keepDim); }

    /** Index of the smallest element of the flattened tensor, as int64. */
    public Tensor argmin() { return Reductions.argAll(ReduceOp.ARGMIN, this); }

    /** Indices (int64) of the smallest elements along dim; the first one on ties. */
    public Tensor argmin(int dim, boolean keepDim) { return Reductions.arg(ReduceOp.ARGMIN, this, dim, keepDim); }

    /** Unbiased variance of all elements (divides by n - 1, as torch.var). */
    public Tensor var() { return Reductions.var(this, -1, false, true, true); }

    /** Unbiased variance along dim. */
    public Tensor var(int dim, boolean keepDim) { return Reductions.var(this, dim, keepDim, true, false); }

    /** Variance along dim; {@code unbiased} divides by n - 1, otherwise by n. */
    public Tensor var(int dim, boolean keepDim, boolean unbiased) { return Reductions.var(this, dim, keepDim, unbiased, false); }

    // ------------------------------------------------------------------ matmul, softmax

    /** Matrix product with torch.matmul's rules: 1-D operands, batching and broadcast batch dimensions. */
    public Tensor matmul(Tensor other) { return MatMul.matmul(this, other); }

    /** exp(this) / sum(exp(this)) along dim, computed stably. */
    public Tensor softmax(int dim) { return SoftmaxOps.softmax(this, dim, false); }

    /** log(softmax(this)) along dim, computed stably. */
    public Tensor logSoftmax(int dim) { return SoftmaxOps.softmax(this, dim, true); }

    /** log(sum(exp(this))) along dim, computed stably. */
    public Tensor logSumExp(int dim, boolean keepDim) { return SoftmaxOps.logSumExp(this, dim, keepDim); }

    // ------------------------------------------------------------------ views and copies

    /** The same elements in a new shape (one size may be -1); a view when the strides allow, else a copy. */
    public Tensor reshape(int... newShape) { return ViewOps.reshape(this, newShape, false); }

    /** Like reshape, but never copies: fails when the strides do not allow a view. */
    public Tensor view(int... newShape) { return ViewOps.reshape(this, newShape, true); }

    /** A 1-D reshape. */
    public Tensor flatten() { return reshape(-1); }

    /** Merges dimensions startDim..endDim (inclusive) into one. */
    public Tensor flatten(int startDim, int endDim) { return ViewOps.flatten(this, startDim, endDim); }

    /** A view with two dimensions swapped. */
    public Tensor transpose(int dim0, int dim1) { return ViewOps.transpose(this, dim0, dim1); }

    /** Transpose of a matrix; as in PyTorch, a tensor of rank 0 or 1 is returned as it is. */
    public Tensor t() {
        if (shape.length > 2) throw new IllegalArgumentException("t: expects a tensor with at most 2 dimensions, got shape " + shape());
        return shape.length < 2 ? this : transpose(0, 1);
    }

    /** A view with the dimensions reordered: dimension i of the result is dimension dims[i] of this. */
    public Tensor permute(int... dims) { return ViewOps.permute(this, dims); }

    /** Broadcasts size-1 dimensions (and new leading ones) to a larger shape without copying; -1 keeps a size. */
    public Tensor expand(int... newShape) { return ViewOps.expand(this, newShape); }

    /** A view without the dimensions of size 1. */
    public Tensor squeeze() { return ViewOps.squeeze(this, null); }

    /** A view without dimension dim if its size is 1 (else this tensor). */
    public Tensor squeeze(int dim) { return ViewOps.squeeze(this, dim); }

    /** A view with a new dimension of size 1 at position dim. */
    public Tensor unsqueeze(int dim) { return ViewOps.unsqueeze(this, dim); }

    /** Elements start (inclusive) to end (exclusive) along dim; negative indices count from the end. */
    public Tensor slice(int dim, int start, int end) { return ViewOps.slice(this, dim, start, end, 1); }

    /** Every step-th element from start (inclusive) to end (exclusive) along dim, as a view. */
    public Tensor slice(int dim, int start, int end, int step) { return ViewOps.slice(this, dim, start, end, step); }

    /**
     * Exactly {@code length} elements from {@code start} along dim, as a view; a negative start counts from the end.
     * Unlike {@link #slice}, which clamps, a range past the end of the dimension fails (as in PyTorch).
     */
    public Tensor narrow(int dim, int start, int length) { return ViewOps.narrow(this, dim, start, length); }

    /** The slice at {@code index} along dim, with that dimension removed. */
    public Tensor select(int dim, int index) { return ViewOps.select(this, dim, index); }

    /** This tensor if dense and row-major, else a contiguous copy (in the graph). */
    public Tensor contiguous() { return isContiguous() ? this : ViewOps.copy(this); }

    /** Rows (or slices along dim) picked by an int64 index vector (torch.index_select). */
    public Tensor indexSelect(int dim, Tensor index) { return Indexing.indexSelect(this, dim, index); }

    /** torch.gather: out[i][j] = this[i][index[i][j]] for dim 1, and likewise for other dims. */
    public Tensor gather(int dim, Tensor index) { return Indexing.gather(this, dim, index); }

    /** Joins tensors along an existing dimension; the other sizes must match. */
    public static Tensor cat(List<Tensor> tensors, int dim) { return ViewOps.cat(tensors, dim); }

    /** Joins equally shaped tensors along a new dimension. */
    public static Tensor stack(List<Tensor> tensors, int dim) { return ViewOps.stack(tensors, dim); }

    /** A copy on another device; differentiable. */
    public Tensor to(Device device) { return ViewOps.toDevice(this, device); }

    /** A copy converted to another dtype; differentiable between floating types. */
    public Tensor to(DType dtype) { return ViewOps.toDType(this, dtype); }

    /** to(FLOAT16), rounding to nearest even (torch's half()); the gradient comes back in this tensor's dtype. */
    public Tensor half() { return to(DType.FLOAT16); }

    /** to(BFLOAT16), rounding to nearest even; the gradient comes back in this tensor's dtype. */
    public Tensor bfloat16() { return to(DType.BFLOAT16); }

    /** A copy on the CPU (this tensor if it is there already). */
    public Tensor cpu() { return to(Device.CPU); }

    // ------------------------------------------------------------------ in-place

    /** this += other (broadcast to this shape). Bumps the version counter; not recorded in the graph. */
    public Tensor addInPlace(Tensor other) { return InPlace.binary(BinaryOp.ADD, this, other, "addInPlace"); }

    /** this += alpha * other. */
    public Tensor addInPlace(Tensor other, double alpha) { return InPlace.axpy(this, other, alpha); }

    /** this -= other (broadcast to this shape). */
    public Tensor subInPlace(Tensor other) { return InPlace.binary(BinaryOp.SUB, this, other, "subInPlace"); }

    /** this *= other (broadcast to this shape). */
    public Tensor mulInPlace(Tensor other) { return InPlace.binary(BinaryOp.MUL, this, other, "mulInPlace"); }

    /** this *= s. */
    public Tensor mulInPlace(double s) { return InPlace.affine(this, s, 0, "mulInPlace"); }

    /** this += s. */
    public Tensor addInPlace(double s) { return InPlace.affine(this, 1, s, "addInPlace"); }

    /** Sets every element to value, in place. */
    public Tensor fill(double value) { return InPlace.fill(this, value); }

    /** Sets every element to 0, in place. */
    public Tensor zero() { return fill(0); }

    /** Copies other's values (broadcast, converted) into this tensor. */
    public Tensor copyFrom(Tensor other) { return InPlace.copyFrom(this, other); }

    /** How many in-place writes this tensor's storage has seen. */
    public int version() { return storage.version; }

    // ------------------------------------------------------------------ element-wise vocabulary
    // Each op is declared in UnaryOp or BinaryOp (math and derivative), or composed in ElementwiseComposites.

    /** e^x - 1, accurate for tiny x (torch.expm1). */
    public Tensor expm1() { return Elementwise.unary(UnaryOp.EXPM1, this, 0, 0); }

    /** log(1 + x), accurate for tiny x (torch.log1p). */
    public Tensor log1p() { return Elementwise.unary(UnaryOp.LOG1P, this, 0, 0); }

    /** log(1 + e^x) (softplus with beta 1 and threshold 20, PyTorch's defaults). */
    public Tensor softplus() { return softplus(1, 20); }

    /** log(1 + e^(beta x)) / beta, and x itself where beta x &gt; threshold (torch.nn.functional.softplus). */
    public Tensor softplus(double beta, double threshold) { return Elementwise.unary(UnaryOp.SOFTPLUS, this, beta, threshold); }

    /** x * sigmoid(x), the swish (torch.nn.functional.silu). */
    public Tensor silu() { return Elementwise.unary(UnaryOp.SILU, this, 0, 0); }

    /** elu with alpha 1. */
    public Tensor elu() { return elu(1); }

    /** x where x &gt; 0, else alpha (e^x - 1) (torch.nn.functional.elu). */
    public Tensor elu(double alpha) { return Elementwise.unary(UnaryOp.ELU, this, alpha, 0); }

    /** scale * elu(x, alpha) with the self-normalising constants (torch.nn.functional.selu). */
    public Tensor selu() { return Elementwise.unary(UnaryOp.SELU, this, 0, 0); }

    /** x * tanh(softplus(x)) (torch.nn.functional.mish). */
    public Tensor mish() { return Elementwise.unary(UnaryOp.MISH, this, 0, 0); }

    /** hardtanh between -1 and 1. */
    public Tensor hardtanh() { return hardtanh(-1, 1); }

    /**
     * x clamped to [min, max] (torch.nn.functional.hardtanh); unlike {@link #clamp}, the gradient is 0 at the bounds
     * themselves, as in PyTorch.
     */
    public Tensor hardtanh(double min, double max) {
        if (min > max) {
            throw new IllegalArgumentException("hardtanh: min_val cannot be greater than max_val (got " + min + " and " + max
                    + ") for a tensor of shape " + shape() + ", " + dtype());
        }
        return Elementwise.unary(UnaryOp.HARDTANH, this, min, max);
    }

    /** min(max(x + 3, 0), 6) / 6 (torch.nn.functional.hardsigmoid). */
    public Tensor hardsigmoid() { return Elementwise.unary(UnaryOp.HARDSIGMOID, this, 0, 0); }

    /** x * hardsigmoid(x) (torch.nn.functional.hardswish). */
    public Tensor hardswish() { return Elementwise.unary(UnaryOp.HARDSWISH, this, 0, 0); }

    /** GELU, exact or with the tanh approximation (torch.nn.functional.gelu(x, approximate=...)). */
    public Tensor gelu(GeluApproximation approximate) {
        return switch (approximate) {
            case NONE -> gelu();
            case TANH -> Elementwise.unary(UnaryOp.GELU_TANH, "GeluBackward", this, 0, 0);
        };
    }

    /** The error function (torch.erf). */
    public Tensor erf() { return Elementwise.unary(UnaryOp.ERF, this, 0, 0); }

    /** The largest whole number not above x; a copy for integer tensors (torch.floor). Its gradient is 0. */
    public Tensor floor() { return ElementwiseComposites.rounding(UnaryOp.FLOOR, this); }

    /** The smallest whole number not below x; a copy for integer tensors (torch.ceil). */
    public Tensor ceil() { return ElementwiseComposites.rounding(UnaryOp.CEIL, this); }

    /** The nearest whole number, halves to even (torch.round: round(2.5) = 2); a copy for integer tensors. */
    public Tensor round() { return ElementwiseComposites.rounding(UnaryOp.ROUND, this); }

    /** x rounded toward zero; a copy for integer tensors (torch.trunc). */
    public Tensor trunc() { return ElementwiseComposites.rounding(UnaryOp.TRUNC, this); }

    public Tensor tan() { return Elementwise.unary(UnaryOp.TAN, this, 0, 0); }

    public Tensor asin() { return Elementwise.unary(UnaryOp.ASIN, this, 0, 0); }

    public Tensor acos() { return Elementwise.unary(UnaryOp.ACOS, this, 0, 0); }

    public Tensor atan() { return Elementwise.unary(UnaryOp.ATAN, this, 0, 0); }

    public Tensor sinh() { return Elementwise.unary(UnaryOp.SINH, this, 0, 0); }

    public Tensor cosh() { return Elementwise.unary(UnaryOp.COSH, this, 0, 0); }

    /** The angle of the point (other, this), in (-pi, pi], broadcasting (torch.atan2(this, other)); integers give float32. */
    public Tensor atan2(Tensor other) { return Elementwise.binary(BinaryOp.ATAN2, this, other); }

    /** The remainder of truncated division, with the dividend's sign (C's fmod, torch.fmod); see {@link #remainder}. */
    public Tensor fmod(Tensor other) { return Elementwise.binary(BinaryOp.FMOD, this, other); }

    /** fmod by a number. */
    public Tensor fmod(double s) { return Elementwise.scalar(BinaryOp.FMOD, this, s); }

    /** fmod by an integer, in this tensor's dtype when it is an integer one. */
    public Tensor fmod(long s) { return Elementwise.scalar(BinaryOp.FMOD, this, s); }

    /** True where this is NaN (bool; all false for integer tensors). */
    public Tensor isnan() { return ElementwiseComposites.isnan(this); }

    /** True where this is +inf or -inf. */
    public Tensor isinf() { return ElementwiseComposites.isinf(this); }

    /** True where this is neither infinite nor NaN. */
    public Tensor isfinite() { return ElementwiseComposites.isfinite(this); }

    /** NaN to 0, +inf and -inf to the dtype's largest and lowest finite values (torch.nan_to_num). */
    public Tensor nanToNum() { return nanToNum(0); }

    /** NaN to nan, infinities to the dtype's extreme finite values. */
    public Tensor nanToNum(double nan) {
        double big = ElementwiseComposites.largestFinite(dtype());
        return nanToNum(nan, big, -big);
    }

    /** NaN, +inf and -inf replaced by the given values; the gradient flows where the input is kept. */
    public Tensor nanToNum(double nan, double posinf, double neginf) { return ElementwiseComposites.nanToNum(this, nan, posinf, neginf); }

    /** this + weight (end - this) (torch.lerp), exact at weight 0 and 1; end broadcasts and must share this dtype. */
    public Tensor lerp(Tensor end, double weight) { return ElementwiseComposites.lerp(this, end, weight); }

    /** lerp with a weight tensor (of this dtype), broadcasting all three; differentiable in all three. */
    public Tensor lerp(Tensor end, Tensor weight) { return ElementwiseComposites.lerp(this, end, weight); }

    // ------------------------------------------------------------------ reductions, scans and sorting

    /**
     * Values with their int64 indices along a dim, as PyTorch's (values, indices) results: {@link #sort},
     * {@link #topk}, {@link #maxWithIndices}, {@link #minWithIndices}. Closing it closes both.
     */
    public record ValuesIndices(Tensor values, Tensor indices) implements AutoCloseable {
        @Override
        public void close() {
            values.close();
            indices.close();
        }
    }

    /** The sum over several dims at once (all of them when none are given), as torch.sum(x, dims, keepdim). */
    public Tensor sum(int[] dims, boolean keepDim) { return Reductions.sum(this, dims, keepDim); }

    /** The mean over several dims at once (all of them when none are given). */
    public Tensor mean(int[] dims, boolean keepDim) { return Reductions.mean(this, dims, keepDim); }

    /** The largest element (NaN if any is NaN); the gradient is shared evenly among the elements equal to it. */
    public Tensor amax() { return Reductions.amaxAmin(ReduceOp.MAX, this, null, false); }

    /** The largest elements over several dims (all when none); ties share the gradient evenly, as in PyTorch. */
    public Tensor amax(int[] dims, boolean keepDim) { return Reductions.amaxAmin(ReduceOp.MAX, this, dims, keepDim); }

    /** The smallest element; the gradient is shared evenly among the elements equal to it. */
    public Tensor amin() { return Reductions.amaxAmin(ReduceOp.MIN, this, null, false); }

    /** The smallest elements over several dims (all when none); ties share the gradient evenly. */
    public Tensor amin(int[] dims, boolean keepDim) { return Reductions.amaxAmin(ReduceOp.MIN, this, dims, keepDim); }

    /**
     * The variance over dims (all when none or null) with PyTorch 2.x's {@code correction}: the squared deviations'
     * sum divided by max(0, n - correction) (1 is the unbiased estimate, 0 the population variance; a divisor of 0
     * gives inf, or NaN when every deviation is 0).
     */
    public Tensor var(int[] dims, int correction, boolean keepDim) { return Reductions.varCorrected("var", this, dims, correction, keepDim); }

    /** The unbiased standard deviation of all elements. */
    public Tensor std() { return Reductions.std(this, null, 1, false); }

    /** The unbiased standard deviation along dim. */
    public Tensor std(int dim, boolean keepDim) { return Reductions.std(this, new int[]{dim}, 1, keepDim); }

    /** The standard deviation over dims (all when none or null) with a correction, as {@link #var(int[], int, boolean)}. */
    public Tensor std(int[] dims, int correction, boolean keepDim) { return Reductions.std(this, dims, correction, keepDim); }

    /** The product of all elements (int32 and bool multiply as int64); 1 for no elements. */
    public Tensor prod() { return Reductions.prodAll(this); }

    /** The product along dim; its gradient is right with zeros in the input. */
    public Tensor prod(int dim, boolean keepDim) { return Reductions.prod(this, dim, keepDim); }

    /** The Euclidean norm of all elements; its gradient at 0 is 0. */
    public Tensor norm() { return Reductions.norm(this, 2, null, false); }

    /** The p-norm of all elements, p = 1, 2, infinity or -infinity (torch.linalg.vector_norm). */
    public Tensor norm(double p) { return Reductions.norm(this, p, null, false); }

    /** The p-norm over dims (all when none or null), p = 1, 2, infinity or -infinity. */
    public Tensor norm(double p, int[] dims, boolean keepDim) { return Reductions.norm(this, p, dims, keepDim); }

    /** The norm named {@code p} ("fro": the Frobenius norm, the 2-norm of the elements) over dims (all when none). */
    public Tensor norm(String p, int[] dims, boolean keepDim) { return Reductions.norm(this, p, dims, keepDim); }

    /** Running sums along dim (int32 and bool sum as int64). */
    public Tensor cumsum(int dim) { return Scans.scan(io.jgrad.spi.ScanOp.SUM, this, dim); }

    /** Running products along dim; the gradient is right with zeros in the input. */
    public Tensor cumprod(int dim) { return Scans.scan(io.jgrad.spi.ScanOp.PROD, this, dim); }

    /** log(cumsum(exp(x))) along dim, computed without overflow. */
    public Tensor logcumsumexp(int dim) { return Scans.scan(io.jgrad.spi.ScanOp.LOGSUMEXP, this, dim); }

    /**
     * Sorts along dim: values and the int64 indices of where they were. The sort is always stable (equal elements
     * keep their order, descending too), so {@code stable} is accepted for PyTorch's sake; NaN sorts as the largest.
     */
    public ValuesIndices sort(int dim, boolean descending, boolean stable) { return Sorting.sort(this, dim, descending); }

    /** Sorts along the last dim, ascending. */
    public ValuesIndices sort() { return Sorting.sort(this, -1, false); }

    /** The int64 indices that sort along dim (stable). */
    public Tensor argsort(int dim, boolean descending, boolean stable) {
        try (Grad.Mode ignored = Grad.disabled()) {
            ValuesIndices r = Sorting.sort(this, dim, descending);
            r.values().close();
            return r.indices();
        }
    }

    /** The int64 indices that sort along the last dim, ascending. */
    public Tensor argsort() { return argsort(-1, false, true); }

    /**
     * The k largest (or, with {@code largest = false}, smallest) elements along dim with their indices; NaN counts as
     * the largest. They come sorted whatever {@code sorted} says (PyTorch leaves the order open when it is false).
     */
    public ValuesIndices topk(int k, int dim, boolean largest, boolean sorted) { return Sorting.topk(this, k, dim, largest); }

    /** The k largest elements along the last dim, with their indices. */
    public ValuesIndices topk(int k) { return Sorting.topk(this, k, -1, true); }

    /** max along dim with the index of the first largest element (torch.max(x, dim)); the gradient goes to that index. */
    public ValuesIndices maxWithIndices(int dim, boolean keepDim) { return Sorting.extremeWithIndices(ReduceOp.MAX, this, dim, keepDim); }

    /** min along dim with the index of the first smallest element. */
    public ValuesIndices minWithIndices(int dim, boolean keepDim) { return Sorting.extremeWithIndices(ReduceOp.MIN, this, dim, keepDim); }

    /** Whether any element is non-zero (true, or NaN): a bool scalar. */
    public Tensor any() { return Reductions.anyAll(this, false); }

    /** Whether any element along dim is non-zero; false along an empty dim. */
    public Tensor any(int dim, boolean keepDim) { return Reductions.any(this, dim, keepDim, false); }

    /** Whether every element is non-zero: a bool scalar (true for no elements). */
    public Tensor all() { return Reductions.anyAll(this, true); }

    /** Whether every element along dim is non-zero; true along an empty dim. */
    public Tensor all(int dim, boolean keepDim) { return Reductions.any(this, dim, keepDim, true); }

    /** How many elements are non-zero (NaN counts), as an int64 scalar. */
    public Tensor countNonzero() { return Reductions.countNonzero(this, null); }

    /** How many elements are non-zero over dims (all when none), int64, the dims dropped. */
    public Tensor countNonzero(int... dims) { return Reductions.countNonzero(this, dims); }

    // ------------------------------------------------------------------ shape, indexing and random
    // ---- shape: chunk, split, repeat, flip, roll, tril/triu, pad

    /** Up to {@code chunks} views of ceil(n / chunks) along dim, the last possibly smaller (torch.chunk). */
    public List<Tensor> chunk(int chunks, int dim) { return ShapeOps.chunk(this, chunks, dim); }

    /** chunk along dimension 0. */
    public List<Tensor> chunk(int chunks) { return ShapeOps.chunk(this, chunks, 0); }

    /** Views of {@code splitSize} along dim, the last possibly smaller (torch.split with an int). */
    public List<Tensor> split(int splitSize, int dim) { return ShapeOps.split(this, splitSize, dim); }

    /** Views of the given sizes along dim, which must sum to the dimension's size (torch.split with a list). */
    public List<Tensor> split(int[] sizes, int dim) { return ShapeOps.split(this, sizes, dim); }

    /** Tiles the tensor {@code repeats[i]} times along dimension i; extra leading repeats add dimensions (torch.Tensor.repeat). */
    public Tensor repeat(int... repeats) { return ShapeOps.repeat(this, repeats); }

    /** Each slice along dim repeated {@code repeats} times in a row (torch.repeat_interleave). */
    public Tensor repeatInterleave(int repeats, int dim) { return ShapeOps.repeatInterleave(this, repeats, dim); }

    /** Each element of the flattened tensor repeated {@code repeats} times in a row. */
    public Tensor repeatInterleave(int repeats) { return ShapeOps.repeatInterleave(this, repeats, null); }

    /** Slice i along dim repeated repeats[i] times (an int64 or int32 tensor of the dimension's size, or of one element). */
    public Tensor repeatInterleave(Tensor repeats, int dim) { return ShapeOps.repeatInterleave(this, repeats, dim); }

    /** Element i of the flattened tensor repeated repeats[i] times. */
    public Tensor repeatInterleave(Tensor repeats) { return ShapeOps.repeatInterleave(this, repeats, null); }

    /** A copy with the order of elements reversed along each of dims (torch.flip). */
    public Tensor flip(int... dims) { return ShapeOps.flip(this, dims); }

    /** A copy with elements shifted by shifts[i] along dims[i], wrapping around (torch.roll). */
    public Tensor roll(int[] shifts, int[] dims) { return ShapeOps.roll(this, shifts, dims); }

    /** roll along one dimension. */
    public Tensor roll(int shift, int dim) { return ShapeOps.roll(this, new int[]{shift}, new int[]{dim}); }

    /** roll of the flattened tensor, keeping the shape (torch.roll without dims). */
    public Tensor roll(int shift) { return ShapeOps.roll(this, new int[]{shift}, new int[0]); }

    /** The lower triangle of the last two dimensions (elements with column - row &lt;= diagonal), zeros elsewhere. */
    public Tensor tril(int diagonal) { return ShapeOps.triangle(this, diagonal, true); }

    /** tril with diagonal 0. */
    public Tensor tril() { return tril(0); }

    /** The upper triangle of the last two dimensions (elements with column - row &gt;= diagonal), zeros elsewhere. */
    public Tensor triu(int diagonal) { return ShapeOps.triangle(this, diagonal, false); }

    /** triu with diagonal 0. */
    public Tensor triu() { return triu(0); }

    /** How {@link #pad(int[], PadMode, double)} fills the border (torch.nn.functional.pad's mode). */
    public enum PadMode {
        /** A constant value; negative pads crop. */
        CONSTANT,
        /** The mirror image without repeating the edge element; each pad must be smaller than its dimension. */
        REFLECT,
        /** Copies of the edge element. */
        REPLICATE,
        /** Wraps around, as if the tensor were periodic; each pad at most its dimension. */
        CIRCULAR
    }

    /**
     * Pads with (left, right) pairs listed from the last dimension backwards, as torch.nn.functional.pad:
     * {@code pad(new int[]{1, 1, 2, 0}, ...)} adds one column on each side of the last dimension and two rows before
     * the second-to-last. {@code value} is the fill of CONSTANT padding (it must be 0 for the other modes).
     */
    public Tensor pad(int[] pad, PadMode mode, double value) { return ShapeOps.pad(this, pad, mode, value); }

    /** Pads with zeros. */
    public Tensor pad(int... pad) { return ShapeOps.pad(this, pad, PadMode.CONSTANT, 0); }

    /** Pads in the given mode (zeros for CONSTANT). */
    public Tensor pad(int[] pad, PadMode mode) { return ShapeOps.pad(this, pad, mode, 0); }

    /** Pads with a constant value. */
    public Tensor pad(int[] pad, double value) { return ShapeOps.pad(this, pad, PadMode.CONSTANT, value); }

    // ---- indexing: maskedSelect, scatter, indexAdd, indexPut, oneHot, einsum

    /** The elements where the bool mask (broadcast with this) is true, as a 1-D tensor (torch.masked_select). */
    public Tensor maskedSelect(Tensor mask) { return ShapeOps.maskedSelect(this, mask); }

    /**
     * A copy with out[..][index[i][j]][..] = src[i][j] along dim (torch.scatter): index has this tensor's rank and fits
     * inside src, and inside this tensor off dim. Where several entries name one position the last (row-major) wins.
     */
    public Tensor scatter(int dim, Tensor index, Tensor src) { return IndexOps.scatter(this, dim, index, src); }

    /** A copy with {@code value} at every position index names along dim (torch.scatter with a scalar). */
    public Tensor scatter(int dim, Tensor index, double value) { return IndexOps.scatter(this, dim, index, value); }

    /** A copy with src added at the positions index names along dim; repeats add up (torch.scatter_add). */
    public Tensor scatterAdd(int dim, Tensor index, Tensor src) { return IndexOps.scatterAdd(this, dim, index, src); }

    /** A copy with source's slices added at index (1-D) along dim (torch.index_add). */
    public Tensor indexAdd(int dim, Tensor index, Tensor source) { return IndexOps.indexAdd(this, dim, index, source, 1); }

    /** A copy with alpha * source's slices added at index along dim. */
    public Tensor indexAdd(int dim, Tensor index, Tensor source, double alpha) { return IndexOps.indexAdd(this, dim, index, source, alpha); }

    /**
     * A copy with values put at the positions the index tensors name (torch.index_put, Python's {@code x[i, j] = v}):
     * one int64/int32 tensor per leading dimension (broadcast together; negative entries count from the end) or a
     * bool mask covering several; values broadcast to the indexed shape. With accumulate they are added instead.
     */
    public Tensor indexPut(List<Tensor> indices, Tensor values, boolean accumulate) { return IndexOps.indexPut(this, indices, values, accumulate); }

    /** indexPut without accumulation: the last of repeated positions wins. */
    public Tensor indexPut(List<Tensor> indices, Tensor values) { return IndexOps.indexPut(this, indices, values, false); }

    /** int64 class indices to int64 one-hot vectors along a new last dimension (torch.nn.functional.one_hot); -1 infers max + 1. */
    public Tensor oneHot(int numClasses) { return IndexOps.oneHot(this, numClasses); }

    /** oneHot with the number of classes inferred as max + 1. */
    public Tensor oneHot() { return IndexOps.oneHot(this, -1); }

    /**
     * Einstein summation (torch.einsum): {@code einsum("bij,bjk->bik", a, b)} is a batched matrix product,
     * {@code "i,i->"} a dot product, {@code "ij->ji"} a transpose, {@code "ii->i"} a diagonal; "..." stands for
     * broadcast dimensions, and without "->" the output is the labels that appear once, in alphabetical order.
     */
    public static Tensor einsum(String equation, Tensor... operands) { return Einsum.einsum(equation, operands); }

    // ---- random: randint, randperm, bernoulli, multinomial, in-place initialisers

    /** int64 integers uniform on [low, high), from the global generator, on the default device. */
    public static Tensor randint(long low, long high, int... shape) { return RandomOps.randint(low, high, Backends.defaultDevice(), Generator.global(), shape); }

    /** int64 integers uniform on [low, high), from {@code gen}. */
    public static Tensor randint(Generator gen, long low, long high, int... shape) { return RandomOps.randint(low, high, Backends.defaultDevice(), gen, shape); }

    /** int64 integers uniform on [low, high) on a device; the numbers depend only on the generator, not the device. */
    public static Tensor randint(long low, long high, Device device, Generator gen, int... shape) { return RandomOps.randint(low, high, device, gen, shape); }

    /** A random permutation of 0..n-1 (int64) from the global generator (torch.randperm). */
    public static Tensor randperm(int n) { return RandomOps.randperm(n, Backends.defaultDevice(), Generator.global()); }

    /** A random permutation of 0..n-1 from {@code gen}. */
    public static Tensor randperm(int n, Generator gen) { return RandomOps.randperm(n, Backends.defaultDevice(), gen); }

    /** A random permutation of 0..n-1 on a device. */
    public static Tensor randperm(int n, Device device, Generator gen) { return RandomOps.randperm(n, device, gen); }

    /** 1 with the probability in each element of this (floating) tensor, else 0, in its dtype (torch.bernoulli). */
    public Tensor bernoulli() { return RandomOps.bernoulli(this, Generator.global()); }

    /** bernoulli from {@code gen}. */
    public Tensor bernoulli(Generator gen) { return RandomOps.bernoulli(this, gen); }

    /** A tensor like this one of 1 with probability p, else 0 (torch.bernoulli(input, p)). */
    public Tensor bernoulli(double p) { return RandomOps.bernoulli(this, p, Generator.global()); }

    /** bernoulli(p) from {@code gen}. */
    public Tensor bernoulli(double p, Generator gen) { return RandomOps.bernoulli(this, p, gen); }

    /**
     * numSamples category indices (int64) drawn from each row of this tensor's non-negative weights, 1-D [c] or 2-D
     * [n, c] (torch.multinomial); without replacement no category repeats within a row.
     */
    public Tensor multinomial(int numSamples, boolean replacement) { return RandomOps.multinomial(this, numSamples, replacement, Generator.global()); }

    /** multinomial from {@code gen}. */
    public Tensor multinomial(int numSamples, boolean replacement, Generator gen) { return RandomOps.multinomial(this, numSamples, replacement, gen); }

    /** Overwrites this tensor with N(mean, std^2) draws in place (torch's normal_); outside the graph. */
    public Tensor normalInPlace(double mean, double std) { return RandomOps.fillInPlace("normalInPlace", this, Distribution.NORMAL, mean, std, Generator.global()); }

    /** normalInPlace from {@code gen}: the same numbers as {@code Init.normal} with that generator. */
    public Tensor normalInPlace(double mean, double std, Generator gen) { return RandomOps.fillInPlace("normalInPlace", this, Distribution.NORMAL, mean, std, gen); }

    /** Overwrites this tensor with U(from, to) draws in place (torch's uniform_); outside the graph. */
    public Tensor uniformInPlace(double from, double to) { return RandomOps.fillInPlace("uniformInPlace", this, Distribution.UNIFORM, from, to, Generator.global()); }

    /** uniformInPlace from {@code gen}. */
    public Tensor uniformInPlace(double from, double to, Generator gen) { return RandomOps.fillInPlace("uniformInPlace", this, Distribution.UNIFORM, from, to, gen); }

    // The gradient hooks of this tensor (for a non-leaf, shared with the node that made
    // it), null until one is registered; and which output of its node this tensor is (nonzero only for a
    // CustomFunction with several outputs).
    TensorHooks hooks;
    int outputNr;

    // ------------------------------------------------------------------ autograd extensions

    /**
     * Registers a hook that backward calls with this tensor's gradient once it is complete (summed over all uses), as
     * PyTorch's {@code register_hook}. The hook may return a replacement of the same shape, dtype and device, which
     * backward then uses instead (for a leaf: accumulates into {@code .grad}); returning null keeps the gradient.
     * Hooks run in registration order, each on the previous one's result, and run again on every backward pass until
     * removed through the returned handle. A hook should not modify its argument in place.
     */
    public HookHandle registerHook(java.util.function.UnaryOperator<Tensor> hook) {
        return TensorHooks.registerHook(this, hook);
    }

    /**
     * Keeps the gradient of this non-leaf tensor in {@link #grad()} after backward (leaves keep theirs anyway): the
     * first pass stores a copy, later passes add to it, as for leaves. The retained gradient is the one after this
     * tensor's hooks, whenever they were registered.
     */
    public void retainGrad() {
        TensorHooks.retainGrad(this);
    }

    /** Whether {@link #retainGrad()} was called on this non-leaf tensor (false for leaves, as in PyTorch). */
    public boolean retainsGrad() {
        return TensorHooks.retainsGrad(this);
    }

    /**
     * Registers a hook that backward calls with this leaf after its {@code .grad} was accumulated (PyTorch's
     * {@code register_post_accumulate_grad_hook}); an optimizer can step a parameter there. Leaves only.
     */
    public HookHandle registerPostAccumulateGradHook(java.util.function.Consumer<Tensor> hook) {
        return TensorHooks.registerPostAccumulateGradHook(this, hook);
    }

    // ------------------------------------------------------------------ lifecycle

    /**
     * Releases this tensor's reference to its memory now, as dropping the last reference to a tensor in PyTorch: the
     * memory is freed when no view uses it and no graph node saved it for backward (a node holds its own reference,
     * closed once its backward has run). The tensor keeps its place in the graph, so gradients still flow through it;
     * only reading it fails. Idempotent.
     */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            storage.release();
        }
    }

    /** Closes each tensor that is not null (an op's own temporaries; closing one twice is harmless). */
    static void closeAll(Tensor... tensors) {
        for (Tensor t : tensors) if (t != null) t.close();
    }

    /** Whether this tensor was closed or its memory freed. */
    public boolean isClosed() {
        return closed || storage.isFreed();
    }

    /** PyTorch-style text, such as {@code tensor([1., 2.], requires_grad=True)}. */
    @Override
    public String toString() {
        return TensorPrinter.print(this);
    }
}
