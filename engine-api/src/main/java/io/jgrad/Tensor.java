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

    /** 0, 1, ..., end - 1 as float32 (unlike torch.arange(int), which gives int64; use the five-argument form for int64). */
    public static Tensor arange(int end) {
        return arange(0, end, 1);
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
        Buffer buf;
        switch (dtype) {
            case FLOAT32: {
                float[] v = new float[(int) n];
                for (int i = 0; i < n; i++) v[i] = (float) (start + i * step);
                buf = b.upload(v);
                break;
            }
            case FLOAT64: {
                double[] v = new double[(int) n];
                for (int i = 0; i < n; i++) v[i] = start + i * step;
                buf = b.upload(v);
                break;
            }
            default: {
                long[] v = new long[(int) n];
                for (int i = 0; i < n; i++) v[i] = (long) (start + i * step);
                buf = b.upload(v);
            }
        }
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

    /** The single value of a one-element tensor. */
    public double item() {
        if (numel() != 1) {
            throw new IllegalArgumentException("item: only one-element tensors can be converted to a number, got shape " + shape());
        }
        return toDoubleArray()[0];
    }

    /** A copy of the elements in row-major order, converted to float (int64 values are cast). */
    public float[] toFloatArray() {
        int n = hostCount("toFloatArray");
        if (dtype() == DType.FLOAT32) {
            float[] out = new float[n];
            downloadContiguous(out, null, null);
            return out;
        }
        double[] d = toDoubleArray();
        float[] out = new float[n];
        for (int i = 0; i < n; i++) out[i] = (float) d[i];
        return out;
    }

    /** A copy of the elements in row-major order, converted to double. */
    public double[] toDoubleArray() {
        int n = hostCount("toDoubleArray");
        double[] out = new double[n];
        switch (dtype()) {
            case FLOAT64:
                downloadContiguous(null, out, null);
                break;
            case FLOAT32: {
                float[] f = new float[n];
                downloadContiguous(f, null, null);
                for (int i = 0; i < n; i++) out[i] = f[i];
                break;
            }
            default: {
                long[] l = new long[n];
                downloadContiguous(null, null, l);
                for (int i = 0; i < n; i++) out[i] = l[i];
            }
        }
        return out;
    }

    /** A copy of the elements in row-major order; floating values are truncated toward zero, as a cast does. */
    public long[] toLongArray() {
        int n = hostCount("toLongArray");
        if (dtype() == DType.INT64) {
            long[] out = new long[n];
            downloadContiguous(null, null, out);
            return out;
        }
        double[] d = toDoubleArray();
        long[] out = new long[n];
        for (int i = 0; i < n; i++) out[i] = (long) d[i];
        return out;
    }

    private int hostCount(String op) {
        view(); // fails on a closed tensor
        long n = numel();
        if (n > Integer.MAX_VALUE - 8) throw new IllegalStateException(op + ": " + n + " elements do not fit in a Java array");
        return (int) n;
    }

    /**
     * Downloads the elements in row-major order into the array of this tensor's dtype (the other two are null).
     * The conversion to another element type happens on the host, so no device kernel or temporary buffer of
     * another dtype is needed; only a non-contiguous tensor is first copied into dense memory on its device.
     */
    private void downloadContiguous(float[] f, double[] d, long[] l) {
        Tensor c = this;
        if (!isContiguous()) {
            try (Grad.Mode ignored = Grad.disabled()) {
                c = Scope.persist(empty(backend(), dtype(), shape.clone()));
                backend().copy(c.view(), view());
            }
        }
        Backend b = c.backend();
        if (f != null) b.download(c.storage.buffer, c.offset, f, 0, f.length);
        else if (d != null) b.download(c.storage.buffer, c.offset, d, 0, d.length);
        else b.download(c.storage.buffer, c.offset, l, 0, l.length);
        if (c != this) c.close();
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

    /** The accumulated gradient of a leaf, or null before any backward pass reached it. */
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

    /** Graphviz DOT text of the graph that produced this tensor: op, shape, data and grad of each node. */
    public String toDot() {
        return GraphDot.of(this);
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

    /** Element-wise minimum, broadcasting; equal elements split the gradient. */
    public Tensor minimum(Tensor other) { return Elementwise.binary(BinaryOp.MIN, this, other); }

    /** this + s. */
    public Tensor add(double s) { return Elementwise.unary(UnaryOp.AFFINE, "AddBackward", this, 1, s); }

    /** this - s. */
    public Tensor sub(double s) { return Elementwise.unary(UnaryOp.AFFINE, "SubBackward", this, 1, -s); }

    /** this * s. */
    public Tensor mul(double s) { return Elementwise.unary(UnaryOp.AFFINE, "MulBackward", this, s, 0); }

    /** this / s. */
    public Tensor div(double s) { return Elementwise.unary(UnaryOp.AFFINE, "DivBackward", this, 1 / s, 0); }

    /** s - this. */
    public Tensor rsub(double s) { return Elementwise.unary(UnaryOp.AFFINE, "RsubBackward", this, -1, s); }

    /** s / this. */
    public Tensor rdiv(double s) { return Elementwise.unary(UnaryOp.RDIV, this, s, 0); }

    /** this raised to a constant power. */
    public Tensor pow(double exponent) { return Elementwise.unary(UnaryOp.POW, this, exponent, 0); }

    /**
     * Any declared element-wise op, by its {@link UnaryOp} constant: {@code x.apply(UnaryOp.EXP)} is {@code x.exp()}.
     * Every op declared in UnaryOp is usable this way, with its gradient, as soon as it is declared.
     */
    public Tensor apply(UnaryOp op) { return Elementwise.unary(op, this, 0, 0); }

    /** A declared element-wise op with its constant parameters a and b (see each {@link UnaryOp} constant). */
    public Tensor apply(UnaryOp op, double a, double b) { return Elementwise.unary(op, this, a, b); }

    /** -this. */
    public Tensor neg() { return Elementwise.unary(UnaryOp.NEG, this, 0, 0); }

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
    public Tensor abs() { return Elementwise.unary(UnaryOp.ABS, this, 0, 0); }

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

    /** 1 where this == o, else 0 (broadcasting; float result, not differentiable). Likewise ne, lt, le, gt, ge. */
    public Tensor eq(Tensor o) { return Elementwise.binary(BinaryOp.EQ, this, o); }

    /** 1 where this != o, else 0. */
    public Tensor ne(Tensor o) { return Elementwise.binary(BinaryOp.NE, this, o); }

    /** 1 where this &lt; o, else 0. */
    public Tensor lt(Tensor o) { return Elementwise.binary(BinaryOp.LT, this, o); }

    /** 1 where this &lt;= o, else 0. */
    public Tensor le(Tensor o) { return Elementwise.binary(BinaryOp.LE, this, o); }

    /** 1 where this &gt; o, else 0. */
    public Tensor gt(Tensor o) { return Elementwise.binary(BinaryOp.GT, this, o); }

    /** 1 where this &gt;= o, else 0. */
    public Tensor ge(Tensor o) { return Elementwise.binary(BinaryOp.GE, this, o); }

    /** 1 where this == s, else 0. */
    public Tensor eq(double s) { return Elementwise.binary(BinaryOp.EQ, this, Elementwise.constant(this, s)); }

    /** 1 where this != s, else 0. */
    public Tensor ne(double s) { return Elementwise.binary(BinaryOp.NE, this, Elementwise.constant(this, s)); }

    /** 1 where this &lt; s, else 0. */
    public Tensor lt(double s) { return Elementwise.binary(BinaryOp.LT, this, Elementwise.constant(this, s)); }

    /** 1 where this &lt;= s, else 0. */
    public Tensor le(double s) { return Elementwise.binary(BinaryOp.LE, this, Elementwise.constant(this, s)); }

    /** 1 where this &gt; s, else 0. */
    public Tensor gt(double s) { return Elementwise.binary(BinaryOp.GT, this, Elementwise.constant(this, s)); }

    /** 1 where this &gt;= s, else 0. */
    public Tensor ge(double s) { return Elementwise.binary(BinaryOp.GE, this, Elementwise.constant(this, s)); }

    /** condition ? x : y element-wise, broadcasting all three (torch.where). */
    public static Tensor where(Tensor condition, Tensor x, Tensor y) {
        return Elementwise.where(condition, x, y);
    }

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

    // ------------------------------------------------------------------ lifecycle

    /** Releases this tensor's reference to its memory now; the memory is freed when no view uses it. Idempotent. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            storage.release();
        }
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
