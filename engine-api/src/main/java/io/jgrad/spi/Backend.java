package io.jgrad.spi;

import io.jgrad.DType;
import io.jgrad.Device;

/**
 * What a device backend implements: memory, host transfers and a few dozen primitive kernels on strided views.
 * A backend never sees tensors or the autograd graph.
 * <p>
 * Conventions for every kernel: {@code out} is written, never read, unless the method says otherwise; inputs have
 * already been broadcast to the output's shape (stride 0 on repeated axes); all views live on this backend;
 * floating kernels accept float32 and float64, and operands share the output's dtype unless stated. The caller
 * checks shapes, dtypes and devices before calling, so kernels need not re-check them on hot paths.
 * <p>
 * The {@code default} methods at the bottom are fused kernels composed from the primitives. A backend overrides
 * them only to be faster, and the conformance suite checks that an override agrees with the default.
 * Kernels may run asynchronously; {@link #download} and {@link #synchronize} wait for them.
 */
public interface Backend extends AutoCloseable {
    /** The device type, such as "cpu" or "cuda". */
    String name();

    Device device();

    // ---- memory and transfers ----

    /** Uninitialised memory for {@code length} elements. */
    Buffer allocate(DType dtype, long length);

    /** A new buffer holding a copy of {@code data}; the caller may reuse the array afterwards. */
    Buffer upload(float[] data);

    Buffer upload(double[] data);

    Buffer upload(long[] data);

    /** An int32 buffer. The default goes through an int64 buffer and {@link #copy}; backends override it. */
    default Buffer upload(int[] data) {
        long[] wide = new long[data.length];
        for (int i = 0; i < data.length; i++) wide[i] = data[i];
        return uploadConverted(upload(wide), DType.INT32, data.length);
    }

    /** A bool buffer. The default goes through an int64 buffer and {@link #copy}; backends override it. */
    default Buffer upload(boolean[] data) {
        long[] wide = new long[data.length];
        for (int i = 0; i < data.length; i++) wide[i] = data[i] ? 1 : 0;
        return uploadConverted(upload(wide), DType.BOOL, data.length);
    }

    /**
     * A float16 or bfloat16 buffer holding these bit patterns. The default uploads them widened to float32 and
     * narrows with {@link #copy}, which gives the same bits back (a signalling NaN comes back quiet); backends
     * override it with a plain copy.
     */
    default Buffer upload(short[] bits, DType dtype) {
        if (!dtype.isHalf()) throw new IllegalArgumentException("upload: short[] holds float16 or bfloat16 bits, not " + dtype);
        float[] wide = new float[bits.length];
        for (int i = 0; i < bits.length; i++) wide[i] = io.jgrad.HalfFloat.toFloat(dtype, bits[i]);
        return uploadConverted(upload(wide), dtype, bits.length);
    }

    private Buffer uploadConverted(Buffer wide, DType dtype, int n) {
        try (wide) {
            Buffer out = allocate(dtype, n);
            copy(View.contiguous(out, n), View.contiguous(wide, n));
            return out;
        }
    }

    /** Copies {@code length} elements starting at {@code srcOffset}; the buffer's dtype must match the array. */
    void download(Buffer src, long srcOffset, float[] dst, int dstOffset, int length);

    void download(Buffer src, long srcOffset, double[] dst, int dstOffset, int length);

    void download(Buffer src, long srcOffset, long[] dst, int dstOffset, int length);

    /** The default converts through an int64 buffer; backends override it. */
    default void download(Buffer src, long srcOffset, int[] dst, int dstOffset, int length) {
        long[] wide = downloadWide(src, srcOffset, DType.INT32, length);
        for (int i = 0; i < length; i++) dst[dstOffset + i] = (int) wide[i];
    }

    /** The default converts through an int64 buffer; backends override it. */
    default void download(Buffer src, long srcOffset, boolean[] dst, int dstOffset, int length) {
        long[] wide = downloadWide(src, srcOffset, DType.BOOL, length);
        for (int i = 0; i < length; i++) dst[dstOffset + i] = wide[i] != 0;
    }

    /**
     * The bit patterns of a float16 or bfloat16 buffer. The default widens on the device and downloads float32
     * (exact); backends override it with a plain copy.
     */
    default void download(Buffer src, long srcOffset, short[] dst, int dstOffset, int length) {
        DType dt = src.dtype();
        if (!dt.isHalf()) throw new IllegalArgumentException("download: the buffer holds " + dt + " but the array is float16/bfloat16 bits");
        if (length < 0 || srcOffset < 0 || srcOffset + length > src.length() || dstOffset < 0 || dstOffset + length > dst.length) {
            throw new IndexOutOfBoundsException("download: " + length + " elements from offset " + srcOffset
                    + " of a buffer of " + src.length() + " into offset " + dstOffset + " of an array of " + dst.length);
        }
        float[] wide = new float[length];
        try (Buffer tmp = allocate(DType.FLOAT32, length)) {
            copy(View.contiguous(tmp, length), new View(src, srcOffset, new int[]{length}, new long[]{1}));
            download(tmp, 0, wide, 0, length);
        }
        for (int i = 0; i < length; i++) dst[dstOffset + i] = io.jgrad.HalfFloat.fromFloat(dt, wide[i]);
    }

    private long[] downloadWide(Buffer src, long srcOffset, DType want, int length) {
        if (src.dtype() != want) {
            throw new IllegalArgumentException("download: the buffer holds " + src.dtype() + " but the array is " + want);
        }
        if (length < 0 || srcOffset < 0 || srcOffset + length > src.length()) {
            throw new IndexOutOfBoundsException("download: " + length + " elements from offset " + srcOffset
                    + " of a buffer of " + src.length());
        }
        long[] wide = new long[length];
        try (Buffer tmp = allocate(DType.INT64, length)) {
            copy(View.contiguous(tmp, length), new View(src, srcOffset, new int[]{length}, new long[]{1}));
            download(tmp, 0, wide, 0, length);
        }
        return wide;
    }

    // ---- primitive kernels ----

    /** out = op(in; a, b), element-wise. */
    void unary(UnaryOp op, View out, View in, double a, double b);

    /**
     * out = op(x, y), element-wise; x and y share one dtype. Comparisons and logical ops write 1 or 0 (true or false)
     * in out's dtype, which may be any (the API asks for bool); the others write x's dtype. Which ops take which
     * dtypes is {@link BinaryOp#supports}.
     */
    void binary(BinaryOp op, View out, View x, View y);

    /**
     * out = condition ? x : y; x, y and out share one dtype (any). The API passes a bool condition; one of another
     * dtype counts as condition != 0 (NaN is true).
     */
    void where(View out, View condition, View x, View y);

    /**
     * Reduces {@code in} along {@code axis}; {@code out} has in's shape with 1 at that axis. ARGMAX/ARGMIN write int64
     * and pick the first extreme on ties; MAX and MIN propagate NaN.
     */
    void reduce(ReduceOp op, View out, View in, int axis);

    /** See {@link Gemm}. With beta = 0, C is written without being read (NaN in C does not leak), as in BLAS. */
    void gemm(Gemm gemm);

    /**
     * out[..., i, ...] = in[..., index[..., i, ...], ...] along dim (torch.gather); index is int64, shaped like out.
     * An index outside [0, size) (negative ones included) throws IndexOutOfBoundsException naming it and the bound;
     * an asynchronous device may report it at the next {@link #download} or {@link #synchronize} instead. The same
     * holds for scatterAdd and the cross-entropy targets.
     */
    void gather(View out, View in, int dim, View index);

    /** out[..., index[..., i, ...], ...] += src[..., i, ...] along dim (torch.scatter_add_); reads and writes out. */
    void scatterAdd(View out, int dim, View index, View src);

    /**
     * out = in, converting the dtype if they differ, as PyTorch casts: to bool means != 0 (NaN is true), from bool
     * gives 1 or 0, floating to integer truncates toward zero, int64 to int32 keeps the low 32 bits.
     */
    void copy(View out, View in);

    /** Sets every element of out to value, cast to out's dtype as {@link #copy} casts (bool: value != 0). */
    void fill(View out, double value);

    /** Writes the {@link CounterRandom} stream for this seed, element i being the i-th of out in row-major order. */
    void random(View out, Distribution distribution, long seed, double a, double b);

    // ---- lifecycle ----

    /** Waits until every kernel issued so far has finished. */
    default void synchronize() {
    }

    default MemoryStats memoryStats() {
        return MemoryStats.NONE;
    }

    /** Starts {@link MemoryStats#peakBytesInUse()} afresh from the bytes in use now (torch.cuda.reset_peak_memory_stats). */
    default void resetPeakMemoryStats() {
    }

    /**
     * Asks for bit-reproducible results from run to run, at some cost in speed, where the backend's fast kernels
     * are not (atomic float additions, for example). A backend that is always deterministic ignores it.
     */
    default void setDeterministic(boolean on) {
    }

    /** Returns cached but unused memory to the device. */
    default void emptyCache() {
    }

    @Override
    default void close() {
    }

    // ---- fused kernels: defaults built from the primitives ----

    /** out = softmax(in) along axis, or log-softmax when {@code log}; stable for large inputs. */
    default void softmax(View out, View in, int axis, boolean log) {
        int[] reduced = in.shape.clone();
        reduced[axis] = 1;
        try (Buffer maxBuf = allocate(in.dtype(), View.numel(reduced));
             Buffer sumBuf = allocate(in.dtype(), View.numel(reduced))) {
            View max = View.contiguous(maxBuf, reduced);
            View sum = View.contiguous(sumBuf, reduced);
            reduce(ReduceOp.MAX, max, in, axis);
            binary(BinaryOp.SUB, out, in, Views.broadcast(max, in.shape));
            unary(UnaryOp.EXP, out, out, 0, 0);
            reduce(ReduceOp.SUM, sum, out, axis);
            if (log) {
                // log softmax = (x - max) - log(sum exp(x - max)); recompute x - max rather than log(exp(.))
                unary(UnaryOp.LOG, sum, sum, 0, 0);
                binary(BinaryOp.SUB, out, in, Views.broadcast(max, in.shape));
                binary(BinaryOp.SUB, out, out, Views.broadcast(sum, in.shape));
            } else {
                binary(BinaryOp.DIV, out, out, Views.broadcast(sum, in.shape));
            }
        }
    }

    /**
     * Cross-entropy of logits [n, c] against int64 targets [n]: writes logProbs [n, c] (log-softmax, kept for
     * backward) and losses [n] = -logProbs[i, target_i].
     */
    default void crossEntropyForward(View losses, View logProbs, View logits, View targets) {
        softmax(logProbs, logits, 1, true);
        int n = logits.shape[0];
        View picked = new View(losses.buffer, losses.offset, new int[]{n, 1}, new long[]{losses.strides[0], 0});
        View idx = new View(targets.buffer, targets.offset, new int[]{n, 1}, new long[]{targets.strides[0], 0});
        gather(picked, logProbs, 1, idx);
        unary(UnaryOp.NEG, picked, picked, 0, 0);
    }

    /** gradLogits[i, j] = gradLosses[i] * (exp(logProbs[i, j]) - [j == target_i]). */
    default void crossEntropyBackward(View gradLogits, View logProbs, View targets, View gradLosses) {
        int n = logProbs.shape[0];
        unary(UnaryOp.EXP, gradLogits, logProbs, 0, 0);
        try (Buffer minusOne = allocate(gradLogits.dtype(), n)) {
            View m = View.contiguous(minusOne, n, 1);
            fill(m, -1.0);
            View idx = new View(targets.buffer, targets.offset, new int[]{n, 1}, new long[]{targets.strides[0], 0});
            scatterAdd(gradLogits, 1, idx, m);
        }
        View g = new View(gradLosses.buffer, gradLosses.offset, logProbs.shape.clone(), new long[]{gradLosses.strides[0], 0});
        binary(BinaryOp.MUL, gradLogits, gradLogits, g);
    }

    /** out = act(x + bias), bias broadcast along the last axis; act is one of RELU, TANH, SIGMOID, GELU or null. */
    default void biasActivation(View out, View x, View bias, UnaryOp act) {
        binary(BinaryOp.ADD, out, x, Views.broadcast(bias, x.shape));
        if (act != null) unary(act, out, out, 0, 0);
    }

    /**
     * The gradient through a ReLU from its output: out = output &lt;= 0 ? 0 : grad, element by element (a NaN output
     * passes the gradient, -0 stops it, as PyTorch's threshold_backward). All three views have the same shape.
     */
    default void reluBackward(View out, View grad, View output) {
        try (Buffer zeroBuf = allocate(output.dtype(), 1);
             Buffer stopBuf = allocate(output.dtype(), output.numel())) {
            View zero = Views.broadcast(View.contiguous(zeroBuf), output.shape);
            View stop = View.contiguous(stopBuf, output.shape);
            fill(View.contiguous(zeroBuf), 0.0);
            binary(BinaryOp.LE, stop, output, zero);
            where(out, stop, zero, grad);
        }
    }

    /**
     * The backward of {@link #biasActivation} for activations whose derivative follows from the output y: gradX =
     * grad * act'(y), with {@link #reluBackward} for RELU, 1 - y² for TANH and y (1 - y) for SIGMOID; gradBias [c] =
     * the sums of gradX over all but its last axis. gradX is contiguous, of y's shape; gradBias may be null.
     */
    default void biasActivationBackward(View gradX, View gradBias, View grad, View y, UnaryOp act) {
        switch (act) {
            case RELU -> reluBackward(gradX, grad, y);
            case TANH -> {
                unary(UnaryOp.SQUARE, gradX, y, 0, 0);
                unary(UnaryOp.AFFINE, gradX, gradX, -1, 1);
                binary(BinaryOp.MUL, gradX, gradX, grad);
            }
            case SIGMOID -> {
                unary(UnaryOp.AFFINE, gradX, y, -1, 1);
                binary(BinaryOp.MUL, gradX, gradX, y);
                binary(BinaryOp.MUL, gradX, gradX, grad);
            }
            default -> throw new IllegalArgumentException("biasActivationBackward: " + act + " needs the pre-activation, not the output");
        }
        if (gradBias != null) {
            int c = gradBias.shape[0];
            int rows = (int) (gradX.numel() / Math.max(1, c));
            reduce(ReduceOp.SUM, Views.row(gradBias), new View(gradX.buffer, gradX.offset, new int[]{rows, c}, new long[]{c, 1}), 0);
        }
    }

    /**
     * The gradient through GELU (act GELU, or GELU_TANH for its tanh form) of the pre-activation x + bias: gradX =
     * grad * act'(x + bias), bias broadcast along the last axis, or act'(x) when bias is null; gradBias [c], when not
     * null, = the sums of gradX over all but its last axis. gradX, grad and x have one shape; gradX may be x, but not
     * grad (this default writes act' into gradX before it reads grad).
     */
    default void geluBackward(View gradX, View gradBias, View grad, View x, View bias, UnaryOp act) {
        UnaryOp derivative = act == UnaryOp.GELU_TANH ? UnaryOp.GELU_TANH_GRAD : UnaryOp.GELU_GRAD;
        if (bias != null) {
            binary(BinaryOp.ADD, gradX, x, Views.broadcast(bias, x.shape));
            unary(derivative, gradX, gradX, 0, 0);
        } else {
            unary(derivative, gradX, x, 0, 0);
        }
        binary(BinaryOp.MUL, gradX, gradX, grad);
        if (gradBias != null) {
            int c = gradBias.shape[0];
            int rows = (int) (gradX.numel() / Math.max(1, c));
            reduce(ReduceOp.SUM, Views.row(gradBias), new View(gradX.buffer, gradX.offset, new int[]{rows, c}, new long[]{c, 1}), 0);
        }
    }

    /**
     * Batch normalisation of x [n, c] (n &gt; 0) over its rows, with the batch's statistics: mean [c], var [c] (biased:
     * the mean squared deviation) and out = (x - mean) / sqrt(var + eps) * weight + bias, weight and bias [c]. mean and
     * var are written for the backward pass and the running statistics. x may also be [n, c, s] (images with their
     * pixels flattened: BatchNorm2d), each channel then normalised over n and s; this default copies it into rows
     * [n * s, c] and back, and a backend overrides it to work in place.
     */
    default void batchNormForward(View out, View mean, View var, View x, View weight, View bias, double eps) {
        if (x.rank() == 3) {
            int rows = x.shape[0] * x.shape[2], c = x.shape[1];
            try (Buffer xr = allocate(x.dtype(), (long) rows * c); Buffer or = allocate(x.dtype(), (long) rows * c)) {
                copy(View.contiguous(xr, x.shape[0], x.shape[2], c), Views.channelsLast(x));
                batchNormForward(View.contiguous(or, rows, c), mean, var, View.contiguous(xr, rows, c), weight, bias, eps);
                copy(Views.channelsLast(out), View.contiguous(or, x.shape[0], x.shape[2], c));
            }
            return;
        }
        int n = x.shape[0], c = x.shape[1];
        try (Buffer centeredBuf = allocate(x.dtype(), (long) n * c); Buffer invStdBuf = allocate(x.dtype(), c)) {
            View centered = View.contiguous(centeredBuf, n, c);
            View invStd = View.contiguous(invStdBuf, c);
            reduce(ReduceOp.SUM, Views.row(mean), x, 0);
            unary(UnaryOp.AFFINE, mean, mean, 1.0 / n, 0);
            binary(BinaryOp.SUB, centered, x, Views.rows(mean, n));
            unary(UnaryOp.SQUARE, out, centered, 0, 0); // out as scratch until the end
            reduce(ReduceOp.SUM, Views.row(var), out, 0);
            unary(UnaryOp.AFFINE, var, var, 1.0 / n, 0);
            unary(UnaryOp.AFFINE, invStd, var, 1, eps);
            unary(UnaryOp.RSQRT, invStd, invStd, 0, 0);
            binary(BinaryOp.MUL, out, centered, Views.rows(invStd, n));
            binary(BinaryOp.MUL, out, out, Views.rows(weight, n));
            binary(BinaryOp.ADD, out, out, Views.rows(bias, n));
        }
    }

    /**
     * The gradients of {@link #batchNormForward} from gradOut [n, c], given its x, mean, var and weight. With
     * xhat = (x - mean) / sqrt(var + eps): gradBias = the column sums of gradOut, gradWeight = those of gradOut * xhat,
     * gradX = weight / sqrt(var + eps) * (gradOut - (gradBias + xhat * gradWeight) / n). Any of the three outputs may
     * be null when that gradient is not needed.
     */
    default void batchNormBackward(View gradX, View gradWeight, View gradBias, View gradOut, View x, View mean, View var,
                                   View weight, double eps) {
        if (x.rank() == 3) { // [n, c, s]: through rows [n * s, c], as the forward's default
            int rows = x.shape[0] * x.shape[2], c = x.shape[1];
            int[] nsc = {x.shape[0], x.shape[2], c};
            try (Buffer xr = allocate(x.dtype(), (long) rows * c); Buffer gr = allocate(x.dtype(), (long) rows * c);
                 Buffer dr = gradX == null ? null : allocate(x.dtype(), (long) rows * c)) {
                copy(View.contiguous(xr, nsc), Views.channelsLast(x));
                copy(View.contiguous(gr, nsc), Views.channelsLast(gradOut));
                batchNormBackward(gradX == null ? null : View.contiguous(dr, rows, c), gradWeight, gradBias,
                        View.contiguous(gr, rows, c), View.contiguous(xr, rows, c), mean, var, weight, eps);
                if (gradX != null) copy(Views.channelsLast(gradX), View.contiguous(dr, nsc));
            }
            return;
        }
        int n = x.shape[0], c = x.shape[1];
        DType dt = x.dtype();
        try (Buffer xhatBuf = allocate(dt, (long) n * c); Buffer tBuf = allocate(dt, (long) n * c);
             Buffer invStdBuf = allocate(dt, c); Buffer sumGBuf = allocate(dt, c); Buffer sumGxBuf = allocate(dt, c)) {
            View xhat = View.contiguous(xhatBuf, n, c), t = View.contiguous(tBuf, n, c);
            View invStd = View.contiguous(invStdBuf, c), sumG = View.contiguous(sumGBuf, c), sumGx = View.contiguous(sumGxBuf, c);
            unary(UnaryOp.AFFINE, invStd, var, 1, eps);
            unary(UnaryOp.RSQRT, invStd, invStd, 0, 0);
            binary(BinaryOp.SUB, xhat, x, Views.rows(mean, n));
            binary(BinaryOp.MUL, xhat, xhat, Views.rows(invStd, n));
            reduce(ReduceOp.SUM, Views.row(sumG), gradOut, 0);
            binary(BinaryOp.MUL, t, gradOut, xhat);
            reduce(ReduceOp.SUM, Views.row(sumGx), t, 0);
            if (gradBias != null) copy(gradBias, sumG);
            if (gradWeight != null) copy(gradWeight, sumGx);
            if (gradX != null) {
                binary(BinaryOp.MUL, t, xhat, Views.rows(sumGx, n));
                binary(BinaryOp.ADD, t, t, Views.rows(sumG, n));
                unary(UnaryOp.AFFINE, t, t, 1.0 / n, 0);
                binary(BinaryOp.SUB, gradX, gradOut, t);
                binary(BinaryOp.MUL, invStd, invStd, weight);
                binary(BinaryOp.MUL, gradX, gradX, Views.rows(invStd, n));
            }
        }
    }

    /**
     * Layer normalisation of each row of x [n, c] (n, c &gt; 0): mean [n], rstd [n] = 1 / sqrt(var + eps) with the
     * biased variance, and out = (x - mean) * rstd * weight + bias, weight and bias [c] (either may be null: no
     * scale, no shift). mean and rstd are written for the backward pass.
     */
    default void layerNormForward(View out, View mean, View rstd, View x, View weight, View bias, double eps) {
        Contract.layerNorm("layerNormForward", x, out, mean, rstd, weight, bias);
        LayerNormDefaults.forward(this, out, mean, rstd, x, weight, bias, eps);
    }

    /**
     * The gradients of {@link #layerNormForward} from gradOut [n, c], given its x, mean, rstd and weight (null: no
     * scale). Any of the three outputs may be null when that gradient is not needed.
     */
    default void layerNormBackward(View gradX, View gradWeight, View gradBias, View gradOut, View x, View mean, View rstd,
                                   View weight) {
        Contract.layerNorm("layerNormBackward", x, gradX, gradWeight, gradBias, gradOut, mean, rstd, weight);
        LayerNormDefaults.backward(this, gradX, gradWeight, gradBias, gradOut, x, mean, rstd, weight);
    }

    /**
     * One Adam step in place on param, m and v (all contiguous, same shape). With {@code decoupled} the weight decay is
     * AdamW's (p -= lr*wd*p); otherwise it is added to the gradient. {@code step} counts from 1.
     */
    default void adamUpdate(View param, View grad, View m, View v, double lr, double beta1, double beta2, double eps,
                            double weightDecay, boolean decoupled, long step) {
        try (Buffer tmpBuf = allocate(param.dtype(), param.numel()); Buffer tmp2Buf = allocate(param.dtype(), param.numel())) {
            View g = View.contiguous(tmpBuf, param.shape);
            View t = View.contiguous(tmp2Buf, param.shape);
            copy(g, grad);
            if (weightDecay != 0 && !decoupled) {
                unary(UnaryOp.AFFINE, t, param, weightDecay, 0);
                binary(BinaryOp.ADD, g, g, t);
            }
            unary(UnaryOp.AFFINE, m, m, beta1, 0);
            unary(UnaryOp.AFFINE, t, g, 1 - beta1, 0);
            binary(BinaryOp.ADD, m, m, t);
            unary(UnaryOp.AFFINE, v, v, beta2, 0);
            unary(UnaryOp.SQUARE, t, g, 0, 0);
            unary(UnaryOp.AFFINE, t, t, 1 - beta2, 0);
            binary(BinaryOp.ADD, v, v, t);
            double bc1 = 1 - Math.pow(beta1, step);
            double bc2 = 1 - Math.pow(beta2, step);
            if (weightDecay != 0 && decoupled) unary(UnaryOp.AFFINE, param, param, 1 - lr * weightDecay, 0);
            // denominator sqrt(v / bc2) + eps, numerator m / bc1
            unary(UnaryOp.AFFINE, t, v, 1 / bc2, 0);
            unary(UnaryOp.SQRT, t, t, 0, 0);
            unary(UnaryOp.AFFINE, t, t, 1, eps);
            unary(UnaryOp.AFFINE, g, m, lr / bc1, 0);
            binary(BinaryOp.DIV, g, g, t);
            binary(BinaryOp.SUB, param, param, g);
        }
    }

    /**
     * One SGD step in place, with PyTorch's semantics: g += wd*p; buf = first ? g : momentum*buf + (1-dampening)*g;
     * g = nesterov ? g + momentum*buf : buf; p -= lr*g. {@code momentumBuf} is null when momentum is 0.
     */
    default void sgdUpdate(View param, View grad, View momentumBuf, double lr, double momentum, double dampening,
                           double weightDecay, boolean nesterov, boolean firstStep) {
        try (Buffer gBuf = allocate(param.dtype(), param.numel())) {
            View g = View.contiguous(gBuf, param.shape);
            copy(g, grad);
            if (weightDecay != 0) {
                try (Buffer tBuf = allocate(param.dtype(), param.numel())) {
                    View t = View.contiguous(tBuf, param.shape);
                    unary(UnaryOp.AFFINE, t, param, weightDecay, 0);
                    binary(BinaryOp.ADD, g, g, t);
                }
            }
            if (momentum != 0) {
                if (firstStep) {
                    copy(momentumBuf, g);
                } else {
                    try (Buffer tBuf = allocate(param.dtype(), param.numel())) {
                        View t = View.contiguous(tBuf, param.shape);
                        unary(UnaryOp.AFFINE, t, g, 1 - dampening, 0);
                        unary(UnaryOp.AFFINE, momentumBuf, momentumBuf, momentum, 0);
                        binary(BinaryOp.ADD, momentumBuf, momentumBuf, t);
                    }
                }
                if (nesterov) {
                    try (Buffer tBuf = allocate(param.dtype(), param.numel())) {
                        View t = View.contiguous(tBuf, param.shape);
                        unary(UnaryOp.AFFINE, t, momentumBuf, momentum, 0);
                        binary(BinaryOp.ADD, g, g, t);
                    }
                } else {
                    copy(g, momentumBuf);
                }
            }
            unary(UnaryOp.AFFINE, g, g, lr, 0);
            binary(BinaryOp.SUB, param, param, g);
        }
    }

    /**
     * Loss scaling's unscale step for one gradient, in place (torch._amp_foreach_non_finite_check_and_unscale_):
     * grad = grad * invScale, and foundInf (float32, one element) becomes 1 if any element of grad was infinite or
     * NaN before the multiplication; otherwise foundInf is left as it was, so one flag collects a whole model. The
     * default takes five primitive kernels: x - x is 0 for a finite x and NaN otherwise, its sum NaN exactly when
     * one element is not finite, and NaN != NaN the flag.
     */
    default void unscaleAndCheck(View grad, View foundInf, double invScale) {
        Contract.unscaleAndCheck(grad, foundInf);
        int n = (int) grad.numel();
        if (n == 0) return;
        try (Buffer diffBuf = allocate(grad.dtype(), n); Buffer sumBuf = allocate(grad.dtype(), 1);
             Buffer flagBuf = allocate(DType.FLOAT32, 1)) {
            View diff = View.contiguous(diffBuf, grad.shape), flat = View.contiguous(diffBuf, n);
            View sum = View.contiguous(sumBuf, 1), flag = View.contiguous(flagBuf, 1);
            binary(BinaryOp.SUB, diff, grad, grad);
            reduce(ReduceOp.SUM, sum, flat, 0);
            binary(BinaryOp.NE, flag, sum, sum);
            View found = new View(foundInf.buffer, foundInf.offset, new int[]{1}, new long[]{1});
            binary(BinaryOp.MAX, found, found, flag);
        }
        unary(UnaryOp.AFFINE, grad, grad, invScale, 0);
    }

    // ---- reductions, scans and sorting ----

    /**
     * out = the inclusive scan of in along axis ({@link ScanOp}); out and in have one shape and one dtype. Each row
     * along the axis is scanned in order, element by element (floating scans accumulate in float64 and round each
     * output once), so results do not depend on how rows are split among threads. out may be in itself (same
     * layout). A primitive: every backend implements it.
     */
    void scan(ScanOp op, View out, View in, int axis);

    /**
     * Sorts every row of in along axis, stably: values gets the sorted elements (in's dtype), indices (int64) their
     * positions along the axis in in. Ascending unless {@code descending}; equal elements keep their order either way;
     * NaN counts as larger than every number (last ascending, first descending), and -0 equals 0, as in PyTorch.
     * values, indices and in share one shape; float32, float64 and int64; values and indices must not overlap in. A
     * primitive: every backend implements it.
     */
    void sort(View values, View indices, View in, int axis, boolean descending);

    // ---- convolutions ----

    /**
     * Elements of the column buffer the default convolution kernels use at most (besides one padded image): the
     * unfolded input is never built whole, only {@code rows} of output at a time, so memory stays bounded for any
     * batch and image size.
     */
    int CONV_COLUMN_TILE = 1 << 20;

    /**
     * out = conv2d(x, weight) + bias (bias may be null), for the geometry {@code g}; all views contiguous (see
     * {@link Contract#conv}). The default is im2col + GEMM in bounded tiles: for each image, the input is copied into
     * a zero-padded buffer (when there is padding), whose unfold [c, kh, kw, oh, ow] is a pure stride trick on it;
     * a band of output rows of that view is copied into a dense column matrix [c / groups * kh * kw, rows * ow] per
     * group, and one batched {@link #gemm} (batched over groups) multiplies the weight [out / groups, c / groups * kh
     * * kw] into that band of the output.
     */
    default void conv2dForward(View out, View x, View weight, View bias, ConvGeometry g) {
        Contract.conv("conv2dForward", g, x, weight, out, bias);
        if (g.batch() == 0) return;
        try (ConvColumns cols = new ConvColumns(this, g, x.dtype())) {
            int p = g.outH() * g.outW();
            for (int n = 0; n < g.batch(); n++) {
                View src = cols.paddedImage(x, n);
                for (int oh0 = 0; oh0 < g.outH(); oh0 += cols.tileRows) {
                    int rows = Math.min(cols.tileRows, g.outH() - oh0);
                    View col = cols.unfold(src, oh0, rows);
                    int width = rows * g.outW(), k = g.colRows(), og = g.outPerGroup();
                    gemm(new Gemm(false, false, g.groups(), og, width, k, 1.0,
                            weight.buffer, weight.offset, k, (long) og * k,
                            col.buffer, col.offset, width, (long) k * width,
                            0.0, out.buffer, out.offset + (long) n * g.outChannels() * p + (long) oh0 * g.outW(), p, (long) og * p,
                            false));
                }
            }
        }
        if (bias != null) {
            binary(BinaryOp.ADD, out, out, new View(bias.buffer, bias.offset, out.shape.clone(), new long[]{0, bias.strides[0], 0, 0}));
        }
    }

    /**
     * gradX = the gradient of {@link #conv2dForward} with respect to its input, from gradOut (which is also the
     * forward pass of the transposed convolution). The default multiplies weightᵀ into a band of gradOut rows,
     * giving a column matrix, and folds it back (col2im) with kh * kw strided {@link #binary} ADDs into a
     * zero-filled padded image, whose interior is the gradient.
     */
    default void conv2dBackwardInput(View gradX, View gradOut, View weight, ConvGeometry g) {
        Contract.conv("conv2dBackwardInput", g, gradX, weight, gradOut, null);
        if (g.batch() == 0) return;
        try (ConvColumns cols = new ConvColumns(this, g, gradX.dtype())) {
            int p = g.outH() * g.outW();
            for (int n = 0; n < g.batch(); n++) {
                View target = cols.paddedTarget(gradX, n);
                fill(target, 0.0);
                for (int oh0 = 0; oh0 < g.outH(); oh0 += cols.tileRows) {
                    int rows = Math.min(cols.tileRows, g.outH() - oh0);
                    int width = rows * g.outW(), k = g.colRows(), og = g.outPerGroup();
                    View col = cols.column(rows);
                    gemm(new Gemm(true, false, g.groups(), k, width, og, 1.0,
                            weight.buffer, weight.offset, k, (long) og * k,
                            gradOut.buffer, gradOut.offset + (long) n * g.outChannels() * p + (long) oh0 * g.outW(), p, (long) og * p,
                            0.0, col.buffer, col.offset, width, (long) k * width,
                            false));
                    cols.fold(target, col, oh0, rows);
                }
                cols.unpad(gradX, n, target);
            }
        }
    }

    /**
     * gradWeight (and gradBias, when not null) of {@link #conv2dForward}, from gradOut and the forward input x. The
     * default unfolds x in the same bounded bands as the forward pass and accumulates gradOut · columnsᵀ into
     * gradWeight with one batched (over groups) {@link #gemm} per band; gradBias sums gradOut over batch and pixels.
     */
    default void conv2dBackwardWeight(View gradWeight, View gradBias, View gradOut, View x, ConvGeometry g) {
        Contract.conv("conv2dBackwardWeight", g, x, gradWeight, gradOut, gradBias);
        int p = g.outH() * g.outW();
        if (g.batch() == 0) {
            fill(gradWeight, 0.0);
            if (gradBias != null) fill(gradBias, 0.0);
            return;
        }
        try (ConvColumns cols = new ConvColumns(this, g, x.dtype())) {
            boolean first = true;
            for (int n = 0; n < g.batch(); n++) {
                View src = cols.paddedImage(x, n);
                for (int oh0 = 0; oh0 < g.outH(); oh0 += cols.tileRows) {
                    int rows = Math.min(cols.tileRows, g.outH() - oh0);
                    View col = cols.unfold(src, oh0, rows);
                    int width = rows * g.outW(), k = g.colRows(), og = g.outPerGroup();
                    gemm(new Gemm(false, true, g.groups(), og, k, width, 1.0,
                            gradOut.buffer, gradOut.offset + (long) n * g.outChannels() * p + (long) oh0 * g.outW(), p, (long) og * p,
                            col.buffer, col.offset, width, (long) k * width,
                            first ? 0.0 : 1.0, gradWeight.buffer, gradWeight.offset, k, (long) og * k,
                            false));
                    first = false;
                }
            }
        }
        if (gradBias != null) {
            int n = g.batch(), c = g.outChannels();
            try (Buffer perImage = allocate(gradOut.dtype(), (long) n * c)) {
                reduce(ReduceOp.SUM, View.contiguous(perImage, n, c, 1), new View(gradOut.buffer, gradOut.offset, new int[]{n, c, p}, new long[]{(long) c * p, p, 1}), 2);
                reduce(ReduceOp.SUM, new View(gradBias.buffer, gradBias.offset, new int[]{1, c}, new long[]{0, 1}), View.contiguous(perImage, n, c), 0);
            }
        }
    }

    // ---- pooling and resampling ----

    /**
     * 2-d pooling of in [n, c, inH, inW] (any strides) into out [n, c, outH, outW] (contiguous) over the windows of
     * {@code p}. Max pooling writes each window's largest value and, in indices (int64, contiguous, out's shape), its
     * flat position h * inW + w in the plane, the first of equal maxima; average pooling writes the window's sum
     * divided by the window's divisor and takes null indices.
     * <p>
     * The default copies the planes into a buffer with one sentinel element after each (-inf for max, 0 for average),
     * gathers every window into a row of a dense [n * c, outH * outW, window] tensor through {@link Pool2d#windowTable},
     * and reduces those rows (ARGMAX then two gathers for max, SUM then a division for average).
     */
    default void pool2d(View out, View indices, View in, Pool2d p) {
        int nc = in.shape[0] * in.shape[1], plane = p.inH() * p.inW(), outPlane = p.outH() * p.outW(), kk = p.maxWindow();
        if (nc == 0) return;
        DType dt = in.dtype();
        try (Buffer padBuf = allocate(dt, (long) nc * (plane + 1));
             Buffer tableBuf = upload(p.windowTable());
             Buffer colsBuf = allocate(dt, (long) nc * outPlane * kk)) {
            copy(new View(padBuf, 0, in.shape.clone(), new long[]{(long) in.shape[1] * (plane + 1), plane + 1, p.inW(), 1}), in);
            fill(new View(padBuf, plane, new int[]{nc}, new long[]{plane + 1}), p.max() ? Double.NEGATIVE_INFINITY : 0);
            View pad = View.contiguous(padBuf, nc, plane + 1);
            gather(View.contiguous(colsBuf, nc, outPlane * kk), pad, 1, new View(tableBuf, 0, new int[]{nc, outPlane * kk}, new long[]{0, 1}));
            View cols = View.contiguous(colsBuf, nc, outPlane, kk);
            View out3 = new View(out.buffer, out.offset, new int[]{nc, outPlane, 1}, new long[]{outPlane, 1, 1});
            if (p.max()) {
                try (Buffer argBuf = allocate(DType.INT64, (long) nc * outPlane)) {
                    View arg = View.contiguous(argBuf, nc, outPlane, 1);
                    reduce(ReduceOp.ARGMAX, arg, cols, 2);
                    View idx3 = new View(indices.buffer, indices.offset, new int[]{nc, outPlane, 1}, new long[]{outPlane, 1, 1});
                    gather(idx3, new View(tableBuf, 0, new int[]{nc, outPlane, kk}, new long[]{0, kk, 1}), 2, arg);
                    View idx2 = new View(indices.buffer, indices.offset, new int[]{nc, outPlane}, new long[]{outPlane, 1});
                    gather(new View(out.buffer, out.offset, new int[]{nc, outPlane}, new long[]{outPlane, 1}), pad, 1, idx2);
                }
            } else {
                reduce(ReduceOp.SUM, out3, cols, 2);
                try (Buffer divBuf = dt == DType.FLOAT32 ? upload(p.divisorFloats()) : upload(p.divisor())) {
                    binary(BinaryOp.DIV, out3, out3, new View(divBuf, 0, new int[]{nc, outPlane, 1}, new long[]{0, 1, 0}));
                }
            }
        }
    }

    /**
     * The gradient of {@link #pool2d}: gradIn [n, c, inH, inW] (contiguous, written) from grad [n, c, outH, outW]
     * (contiguous). Max pooling adds each output's gradient at its saved index (indices as pool2d wrote them); average
     * pooling adds grad / divisor to every position of the window (indices null). The default scatter-adds, into
     * the sentinel-padded planes for average pooling.
     */
    default void pool2dBackward(View gradIn, View grad, View indices, Pool2d p) {
        int nc = gradIn.shape[0] * gradIn.shape[1], plane = p.inH() * p.inW(), outPlane = p.outH() * p.outW(), kk = p.maxWindow();
        if (nc == 0) return;
        DType dt = gradIn.dtype();
        View gi = new View(gradIn.buffer, gradIn.offset, new int[]{nc, plane}, new long[]{plane, 1});
        if (p.max()) {
            fill(gi, 0);
            scatterAdd(gi, 1, new View(indices.buffer, indices.offset, new int[]{nc, outPlane}, new long[]{outPlane, 1}),
                    new View(grad.buffer, grad.offset, new int[]{nc, outPlane}, new long[]{outPlane, 1}));
            return;
        }
        try (Buffer padBuf = allocate(dt, (long) nc * (plane + 1));
             Buffer tableBuf = upload(p.windowTable());
             Buffer srcBuf = allocate(dt, (long) nc * outPlane * kk);
             Buffer divBuf = dt == DType.FLOAT32 ? upload(p.divisorFloats()) : upload(p.divisor())) {
            int[] spread = {nc, outPlane, kk};
            binary(BinaryOp.DIV, View.contiguous(srcBuf, spread), new View(grad.buffer, grad.offset, spread, new long[]{outPlane, 1, 0}),
                    new View(divBuf, 0, spread, new long[]{0, 1, 0}));
            View pad = View.contiguous(padBuf, nc, plane + 1);
            fill(pad, 0);
            scatterAdd(pad, 1, new View(tableBuf, 0, new int[]{nc, outPlane * kk}, new long[]{0, 1}),
                    View.contiguous(srcBuf, nc, outPlane * kk));
            copy(gi, new View(padBuf, 0, new int[]{nc, plane}, new long[]{plane + 1, 1}));
        }
    }

    // ---- attention ----

    /**
     * Scaled dot-product attention for b independent (batch, head) slices: out = softmax(scale * q k^T + mask) v,
     * with the causal constraint (query i sees keys j &lt;= i) when {@code causal}, and lse [b, l] = the log-sum-exp of
     * each row of the masked scores, which the backward uses to recompute the probabilities instead of storing them.
     * Shapes and dtypes as {@link Contract#attention}. A row whose keys are all masked out gives NaN, as the composed
     * softmax does.
     * <p>
     * This default materialises the [b, l, s] scores, so its memory grows with l * s; a backend overrides it with a
     * kernel over key tiles with an online softmax (the FlashAttention recurrence), whose memory grows with l.
     */
    default void attentionForward(View out, View lse, View q, View k, View v, View mask, boolean causal, double scale) {
        Contract.attention("attentionForward", out, lse, q, k, v, mask);
        int b = q.shape[0], l = q.shape[1], s = k.shape[1], ev = v.shape[2];
        if (b == 0 || l == 0) return;
        int[] scoreShape = {b, l, s}, rowShape = {b, l, 1};
        try (Buffer pBuf = allocate(q.dtype(), (long) b * l * s)) {
            View p = View.contiguous(pBuf, scoreShape);
            View lse3 = new View(lse.buffer, lse.offset, rowShape, new long[]{lse.strides[0], lse.strides[1], 0});
            attentionProbabilities(p, lse3, q, k, mask, causal, scale, true);
            if (s == 0) {
                fill(out, 0);
                return;
            }
            gemm(new Gemm(false, false, b, l, ev, s, 1, pBuf, 0, s, (long) l * s, v.buffer, v.offset, ev, (long) s * ev,
                    0, out.buffer, out.offset, ev, (long) l * ev, false));
        }
    }

    /**
     * The gradients of {@link #attentionForward} (each of dq, dk, dv may be null when not needed), from dOut and the
     * forward's out and lse: with p recomputed from lse, dv = p^T dOut, dp = dOut v^T, ds = p (dp - rowsum(dOut out)),
     * dq = scale ds k, dk = scale ds^T q. This default materialises p and ds; a backend overrides it with a tiled
     * kernel that recomputes them tile by tile.
     */
    default void attentionBackward(View dq, View dk, View dv, View dOut, View q, View k, View v, View out, View lse,
                                   View mask, boolean causal, double scale) {
        Contract.attention("attentionBackward", out, lse, q, k, v, mask);
        Contract.attentionGradients(dq, dk, dv, dOut, q, k, v, out);
        int b = q.shape[0], l = q.shape[1], e = q.shape[2], s = k.shape[1], ev = v.shape[2];
        if (dq != null) fill(dq, 0);
        if (dk != null) fill(dk, 0);
        if (dv != null) fill(dv, 0);
        if (b == 0 || l == 0 || s == 0) return;
        int[] scoreShape = {b, l, s}, rowShape = {b, l, 1};
        DType dt = q.dtype();
        try (Buffer pBuf = allocate(dt, (long) b * l * s); Buffer dpBuf = allocate(dt, (long) b * l * s);
             Buffer oBuf = allocate(dt, (long) b * l * ev); Buffer dBuf = allocate(dt, (long) b * l)) {
            View p = View.contiguous(pBuf, scoreShape);
            View lse3 = new View(lse.buffer, lse.offset, rowShape, new long[]{lse.strides[0], lse.strides[1], 0});
            attentionProbabilities(p, lse3, q, k, mask, causal, scale, false);
            if (dv != null) {
                gemm(new Gemm(true, false, b, s, ev, l, 1, pBuf, 0, s, (long) l * s, dOut.buffer, dOut.offset, ev,
                        (long) l * ev, 0, dv.buffer, dv.offset, ev, (long) s * ev, false));
            }
            if (dq == null && dk == null) return;
            View dp = View.contiguous(dpBuf, scoreShape);
            gemm(new Gemm(false, true, b, l, s, ev, 1, dOut.buffer, dOut.offset, ev, (long) l * ev, v.buffer, v.offset,
                    ev, (long) s * ev, 0, dpBuf, 0, s, (long) l * s, false));
            View prod = View.contiguous(oBuf, b, l, ev), rowDot = View.contiguous(dBuf, rowShape);
            binary(BinaryOp.MUL, prod, dOut, out);
            reduce(ReduceOp.SUM, rowDot, prod, 2);
            binary(BinaryOp.SUB, dp, dp, Views.broadcast(rowDot, scoreShape));
            binary(BinaryOp.MUL, dp, dp, p); // ds
            if (dq != null) {
                gemm(new Gemm(false, false, b, l, e, s, scale, dpBuf, 0, s, (long) l * s, k.buffer, k.offset, e,
                        (long) s * e, 0, dq.buffer, dq.offset, e, (long) l * e, false));
            }
            if (dk != null) {
                gemm(new Gemm(true, false, b, s, e, l, scale, dpBuf, 0, s, (long) l * s, q.buffer, q.offset, e,
                        (long) l * e, 0, dk.buffer, dk.offset, e, (long) s * e, false));
            }
        }
    }

    /**
     * p = exp(scale * q k^T + mask - lse) with the causal positions at 0. With {@code writeLse} it first computes lse
     * (b x l x 1, the rows' log-sum-exp) into lse; otherwise it reads it.
     */
    private void attentionProbabilities(View p, View lse, View q, View k, View mask, boolean causal, double scale,
                                        boolean writeLse) {
        int b = q.shape[0], l = q.shape[1], e = q.shape[2], s = k.shape[1];
        int[] scoreShape = p.shape;
        if (s == 0) {
            if (writeLse) fill(lse, Double.NEGATIVE_INFINITY);
            return;
        }
        gemm(new Gemm(false, true, b, l, s, e, scale, q.buffer, q.offset, e, (long) l * e, k.buffer, k.offset, e,
                (long) s * e, 0, p.buffer, p.offset, s, (long) l * s, false));
        if (mask != null) binary(BinaryOp.ADD, p, p, mask);
        if (causal && s > 1) {
            double[] bias = new double[l * s];
            for (int i = 0; i < l; i++) for (int j = i + 1; j < s; j++) bias[i * s + j] = Double.NEGATIVE_INFINITY;
            try (Buffer wide = upload(bias); Buffer biasBuf = allocate(p.dtype(), (long) l * s)) {
                View biasView = View.contiguous(biasBuf, l, s);
                copy(biasView, View.contiguous(wide, l, s));
                binary(BinaryOp.ADD, p, p, Views.broadcast(biasView, scoreShape));
            }
        }
        if (writeLse) {
            int[] rowShape = {b, l, 1};
            try (Buffer maxBuf = allocate(p.dtype(), (long) b * l); Buffer tBuf = allocate(p.dtype(), (long) b * l * s)) {
                View max = View.contiguous(maxBuf, rowShape), t = View.contiguous(tBuf, scoreShape);
                reduce(ReduceOp.MAX, max, p, 2);
                binary(BinaryOp.SUB, t, p, Views.broadcast(max, scoreShape));
                unary(UnaryOp.EXP, t, t, 0, 0);
                reduce(ReduceOp.SUM, lse, t, 2);
                unary(UnaryOp.LOG, lse, lse, 0, 0);
                binary(BinaryOp.ADD, lse, lse, max);
            }
        }
        binary(BinaryOp.SUB, p, p, Views.broadcast(lse, scoreShape));
        unary(UnaryOp.EXP, p, p, 0, 0);
    }
}
