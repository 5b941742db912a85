package io.jgrad.cpu;

import io.jgrad.DType;
import io.jgrad.Device;
import io.jgrad.spi.Backend;
import io.jgrad.spi.BinaryOp;
import io.jgrad.spi.Buffer;
import io.jgrad.spi.CounterRandom;
import io.jgrad.spi.Distribution;
import io.jgrad.spi.Gemm;
import io.jgrad.spi.ReduceOp;
import io.jgrad.spi.UnaryOp;
import io.jgrad.spi.View;
import java.util.Arrays;

/**
 * The pure-Java backend: buffers are Java arrays, kernels are plain loops (and the Vector API for float32 GEMM when
 * the JVM has it), big kernels are split across a shared thread pool. Every kernel checks that its views are cpu
 * buffers, open, of the right dtypes and shapes and inside their buffers, so misuse fails with a message naming
 * the op and the views instead of corrupting memory; the checks cost a few comparisons per axis.
 */
public final class CpuBackend implements Backend {

    public CpuBackend() {
    }

    @Override
    public String name() {
        return "cpu";
    }

    @Override
    public Device device() {
        return Device.CPU;
    }

    // ---- memory and transfers ----

    @Override
    public Buffer allocate(DType dtype, long length) {
        return CpuBuffer.allocate(dtype, length);
    }

    // uploads copy into pooled arrays: every closed buffer's array goes back to the pool, so every buffer's array
    // must come from it, or a loop that uploads batches would grow the pool to its cap
    @Override
    public Buffer upload(float[] data) {
        float[] a = ArrayPool.floats(data.length);
        System.arraycopy(data, 0, a, 0, data.length);
        return CpuBuffer.of(a);
    }

    @Override
    public Buffer upload(double[] data) {
        double[] a = ArrayPool.doubles(data.length);
        System.arraycopy(data, 0, a, 0, data.length);
        return CpuBuffer.of(a);
    }

    @Override
    public Buffer upload(long[] data) {
        long[] a = ArrayPool.longs(data.length);
        System.arraycopy(data, 0, a, 0, data.length);
        return CpuBuffer.of(a);
    }

    @Override
    public Buffer upload(int[] data) {
        int[] a = ArrayPool.ints(data.length);
        System.arraycopy(data, 0, a, 0, data.length);
        return CpuBuffer.of(a);
    }

    @Override
    public Buffer upload(boolean[] data) {
        boolean[] a = ArrayPool.bools(data.length);
        System.arraycopy(data, 0, a, 0, data.length);
        return CpuBuffer.of(a);
    }

    @Override
    public void download(Buffer src, long srcOffset, int[] dst, int dstOffset, int length) {
        checkDownload(src, DType.INT32, srcOffset, dst.length, dstOffset, length);
        System.arraycopy(cpu(src, "download").ints(), (int) srcOffset, dst, dstOffset, length);
    }

    @Override
    public void download(Buffer src, long srcOffset, boolean[] dst, int dstOffset, int length) {
        checkDownload(src, DType.BOOL, srcOffset, dst.length, dstOffset, length);
        System.arraycopy(cpu(src, "download").bools(), (int) srcOffset, dst, dstOffset, length);
    }

    @Override
    public void download(Buffer src, long srcOffset, float[] dst, int dstOffset, int length) {
        checkDownload(src, DType.FLOAT32, srcOffset, dst.length, dstOffset, length);
        System.arraycopy(cpu(src, "download").floats(), (int) srcOffset, dst, dstOffset, length);
    }

    @Override
    public void download(Buffer src, long srcOffset, double[] dst, int dstOffset, int length) {
        checkDownload(src, DType.FLOAT64, srcOffset, dst.length, dstOffset, length);
        System.arraycopy(cpu(src, "download").doubles(), (int) srcOffset, dst, dstOffset, length);
    }

    @Override
    public void download(Buffer src, long srcOffset, long[] dst, int dstOffset, int length) {
        checkDownload(src, DType.INT64, srcOffset, dst.length, dstOffset, length);
        System.arraycopy(cpu(src, "download").longs(), (int) srcOffset, dst, dstOffset, length);
    }

    private static void checkDownload(Buffer src, DType want, long srcOffset, int dstLength, int dstOffset, int length) {
        if (src.dtype() != want) {
            throw new IllegalArgumentException("cpu download: buffer holds " + src.dtype() + " but the array is " + want);
        }
        if (length < 0 || srcOffset < 0 || srcOffset + length > src.length() || dstOffset < 0 || dstOffset + length > dstLength) {
            throw new IndexOutOfBoundsException("cpu download: " + length + " elements from offset " + srcOffset
                    + " of a buffer of " + src.length() + " into offset " + dstOffset + " of an array of " + dstLength);
        }
    }

    // ---- primitive kernels ----

    @Override
    public void unary(UnaryOp op, View out, View in, double a, double b) {
        checkView("unary " + op, "out", out);
        checkView("unary " + op, "in", in);
        checkFloating("unary " + op, out, in);
        checkSame("unary " + op, out, in, "in");
        int cost = UnaryKernels.cost(op);
        if (out.isContiguous() && in.isContiguous() && Parallel.chunks(out.numel() * cost) == 1) {
            int n = (int) out.numel(), oo = (int) out.offset, io = (int) in.offset;
            if (out.dtype() == DType.FLOAT32) {
                UnaryKernels.floats(op, cpu(out).floats(), oo, cpu(in).floats(), io, n, a, b);
            } else {
                UnaryKernels.doubles(op, cpu(out).doubles(), oo, cpu(in).doubles(), io, n, a, b);
            }
            return;
        }
        Strided.forEach(new View[]{out, in}, cost, (pos, n, o, oo, x, xo, u2, o2, u3, o3) -> {
            if (o instanceof float[] of) UnaryKernels.floats(op, of, oo, (float[]) x, xo, n, a, b);
            else UnaryKernels.doubles(op, (double[]) o, oo, (double[]) x, xo, n, a, b);
        });
    }

    @Override
    public void binary(BinaryOp op, View out, View x, View y) {
        String name = "binary " + op;
        checkView(name, "out", out);
        checkView(name, "x", x);
        checkView(name, "y", y);
        checkSame(name, out, x, "x");
        checkSame(name, out, y, "y");
        DType dt = x.dtype();
        // comparisons and logical ops may write any dtype (1 or 0); the rest write the operands' dtype
        boolean outOk = op.writesBool() || out.dtype() == dt;
        if (y.dtype() != dt || !outOk) {
            throw new IllegalArgumentException("cpu " + name + ": dtypes differ: out " + out.dtype() + ", x " + dt + ", y "
                    + y.dtype() + (op.writesBool() ? " (x and y must match)" : ""));
        }
        if (!op.supports(dt)) {
            throw new IllegalArgumentException("cpu " + name + ": " + dt + " operands are not supported (x " + x + ")");
        }
        int cost = BinaryKernels.cost(op);
        boolean toBool = op.writesBool();
        if (!toBool && out.isContiguous() && x.isContiguous() && y.isContiguous()
                && Parallel.chunks(out.numel() * cost) == 1) {
            int n = (int) out.numel();
            BinaryKernels.sameType(op, cpu(out).array(), (int) out.offset, cpu(x).array(), (int) x.offset,
                    cpu(y).array(), (int) y.offset, n);
            return;
        }
        Strided.forEach(new View[]{out, x, y}, cost, (pos, n, o, oo, xa, xo, ya, yo, u3, o3) -> {
            if (toBool) BinaryKernels.writeBool(op, o, oo, xa, xo, ya, yo, n);
            else BinaryKernels.sameType(op, o, oo, xa, xo, ya, yo, n);
        });
    }

    @Override
    public void where(View out, View condition, View x, View y) {
        checkView("where", "out", out);
        checkView("where", "condition", condition);
        checkView("where", "x", x);
        checkView("where", "y", y);
        checkSame("where", out, condition, "condition");
        checkSame("where", out, x, "x");
        checkSame("where", out, y, "y");
        if (x.dtype() != out.dtype() || y.dtype() != out.dtype()) {
            throw new IllegalArgumentException("cpu where: x (" + x.dtype() + ") and y (" + y.dtype()
                    + ") must have out's dtype " + out.dtype());
        }
        if (out.isContiguous() && condition.isContiguous() && x.isContiguous() && y.isContiguous()
                && Parallel.chunks(out.numel()) == 1) {
            BinaryKernels.where(cpu(out).array(), (int) out.offset, cpu(condition).array(), (int) condition.offset,
                    cpu(x).array(), (int) x.offset, cpu(y).array(), (int) y.offset, (int) out.numel());
            return;
        }
        Strided.forEach(new View[]{out, condition, x, y}, 1, (pos, n, o, oo, c, co, xa, xo, ya, yo) ->
                BinaryKernels.where(o, oo, c, co, xa, xo, ya, yo, n));
    }

    @Override
    public void reduce(ReduceOp op, View out, View in, int axis) {
        String name = "reduce " + op;
        checkView(name, "out", out);
        checkView(name, "in", in);
        if (axis < 0 || axis >= in.rank()) {
            throw new IllegalArgumentException("cpu " + name + ": axis " + axis + " is out of range for " + in);
        }
        int[] expect = in.shape.clone();
        expect[axis] = 1;
        if (!Arrays.equals(expect, out.shape)) {
            throw new IllegalArgumentException("cpu " + name + ": out has shape " + Arrays.toString(out.shape)
                    + " but reducing axis " + axis + " of " + Arrays.toString(in.shape) + " gives " + Arrays.toString(expect));
        }
        boolean arg = op == ReduceOp.ARGMAX || op == ReduceOp.ARGMIN;
        if (in.dtype() == DType.INT32 || in.dtype() == DType.BOOL) {
            throw new IllegalArgumentException("cpu " + name + ": takes float32, float64 or int64 input, got " + in.dtype()
                    + " (the API widens int32 and bool to int64 first)");
        }
        DType want = arg ? DType.INT64 : in.dtype();
        if (out.dtype() != want) {
            throw new IllegalArgumentException("cpu " + name + ": out must be " + want + " for input " + in.dtype()
                    + ", got " + out.dtype());
        }
        if (in.shape[axis] == 0) {
            if (op != ReduceOp.SUM) {
                throw new IllegalArgumentException("cpu " + name + ": cannot reduce an empty axis " + axis + " of " + in);
            }
            fill(out, 0);
            return;
        }
        ReduceKernels.reduce(op, out, in, axis);
    }

    @Override
    public void gemm(Gemm gemm) {
        CpuGemm.gemm(gemm);
    }

    @Override
    public void gather(View out, View in, int dim, View index) {
        checkView("gather", "out", out);
        checkView("gather", "in", in);
        checkView("gather", "index", index);
        checkSame("gather", out, index, "index");
        checkIndexing("gather", in, dim, index, true);
        if (in.dtype() != out.dtype()) {
            throw new IllegalArgumentException("cpu gather: in is " + in.dtype() + " but out is " + out.dtype());
        }
        IndexKernels.gather(out, in, dim, index);
    }

    @Override
    public void scatterAdd(View out, int dim, View index, View src) {
        checkView("scatterAdd", "out", out);
        checkView("scatterAdd", "index", index);
        checkView("scatterAdd", "src", src);
        checkIndexing("scatterAdd", out, dim, index, true);
        checkIndexing("scatterAdd", src, dim, index, false);
        if (src.dtype() != out.dtype() || out.dtype() == DType.BOOL) {
            throw new IllegalArgumentException("cpu scatterAdd: src is " + src.dtype() + " and out is " + out.dtype()
                    + "; they must share one numeric dtype");
        }
        IndexKernels.scatterAdd(out, dim, index, src);
    }

    @Override
    public void copy(View out, View in) {
        checkView("copy", "out", out);
        checkView("copy", "in", in);
        checkSame("copy", out, in, "in");
        if (out.isContiguous() && in.isContiguous() && Parallel.chunks(out.numel()) == 1) {
            BinaryKernels.convert(cpu(out).array(), (int) out.offset, cpu(in).array(), (int) in.offset, (int) out.numel());
            return;
        }
        if (Transpose.copy(out, in)) return;
        Strided.forEach(new View[]{out, in}, 1, (pos, n, o, oo, x, xo, u2, o2, u3, o3) ->
                BinaryKernels.convert(o, oo, x, xo, n));
    }

    @Override
    public void fill(View out, double value) {
        checkView("fill", "out", out);
        if (out.isContiguous() && Parallel.chunks(out.numel()) == 1) {
            BinaryKernels.fill(cpu(out).array(), (int) out.offset, (int) out.numel(), value);
            return;
        }
        Strided.forEach(new View[]{out}, 1, (pos, n, o, oo, u1, o1, u2, o2, u3, o3) -> BinaryKernels.fill(o, oo, n, value));
    }

    @Override
    public void random(View out, Distribution distribution, long seed, double a, double b) {
        checkView("random", "out", out);
        if (out.dtype() == DType.INT32 || out.dtype() == DType.BOOL) {
            throw new IllegalArgumentException("cpu random: out must be float32, float64 or int64, got " + out);
        }
        Strided.forEach(new View[]{out}, 32, (pos, n, o, oo, u1, o1, u2, o2, u3, o3) -> {
            if (o instanceof float[] of) {
                for (int i = 0; i < n; i++) of[oo + i] = (float) CounterRandom.sample(distribution, seed, pos + i, a, b);
            } else if (o instanceof double[] od) {
                for (int i = 0; i < n; i++) od[oo + i] = CounterRandom.sample(distribution, seed, pos + i, a, b);
            } else {
                long[] ol = (long[]) o;
                for (int i = 0; i < n; i++) ol[oo + i] = (long) CounterRandom.sample(distribution, seed, pos + i, a, b);
            }
        });
    }

    // ---- fused kernels: single-pass loops for the common layouts, the defaults otherwise ----

    @Override
    public void softmax(View out, View in, int axis, boolean log) {
        checkView("softmax", "out", out);
        checkView("softmax", "in", in);
        checkSame("softmax", out, in, "in");
        if (axis < 0 || axis >= in.rank()) {
            throw new IllegalArgumentException("cpu softmax: axis " + axis + " is out of range for " + in);
        }
        if (!FusedKernels.softmax(out, in, axis, log)) Backend.super.softmax(out, in, axis, log);
    }

    @Override
    public void crossEntropyForward(View losses, View logProbs, View logits, View targets) {
        checkView("crossEntropyForward", "losses", losses);
        checkView("crossEntropyForward", "logProbs", logProbs);
        checkView("crossEntropyForward", "logits", logits);
        checkView("crossEntropyForward", "targets", targets);
        checkCrossEntropy("crossEntropyForward", logits, logProbs, "logProbs", targets, losses, "losses");
        if (!FusedKernels.crossEntropyForward(losses, logProbs, logits, targets)) {
            Backend.super.crossEntropyForward(losses, logProbs, logits, targets);
        }
    }

    @Override
    public void crossEntropyBackward(View gradLogits, View logProbs, View targets, View gradLosses) {
        checkView("crossEntropyBackward", "gradLogits", gradLogits);
        checkView("crossEntropyBackward", "logProbs", logProbs);
        checkView("crossEntropyBackward", "targets", targets);
        checkView("crossEntropyBackward", "gradLosses", gradLosses);
        checkCrossEntropy("crossEntropyBackward", logProbs, gradLogits, "gradLogits", targets, gradLosses, "gradLosses");
        if (!FusedKernels.crossEntropyBackward(gradLogits, logProbs, targets, gradLosses)) {
            Backend.super.crossEntropyBackward(gradLogits, logProbs, targets, gradLosses);
        }
    }

    @Override
    public void biasActivation(View out, View x, View bias, UnaryOp act) {
        checkView("biasActivation", "out", out);
        checkView("biasActivation", "x", x);
        checkView("biasActivation", "bias", bias);
        checkSame("biasActivation", out, x, "x");
        if (!FusedKernels.biasActivation(out, x, bias, act)) Backend.super.biasActivation(out, x, bias, act);
    }

    @Override
    public void reluBackward(View out, View grad, View output) {
        checkView("reluBackward", "out", out);
        checkView("reluBackward", "grad", grad);
        checkView("reluBackward", "output", output);
        checkFloating("reluBackward", out, grad);
        checkFloating("reluBackward", out, output);
        checkSame("reluBackward", out, grad, "grad");
        checkSame("reluBackward", out, output, "output");
        if (!FusedKernels.reluBackward(out, grad, output)) Backend.super.reluBackward(out, grad, output);
    }

    @Override
    public void biasActivationBackward(View gradX, View gradBias, View grad, View y, UnaryOp act) {
        checkView("biasActivationBackward", "gradX", gradX);
        checkView("biasActivationBackward", "grad", grad);
        checkView("biasActivationBackward", "y", y);
        checkSame("biasActivationBackward", gradX, grad, "grad");
        checkSame("biasActivationBackward", gradX, y, "y");
        if (gradBias != null) {
            checkView("biasActivationBackward", "gradBias", gradBias);
            if (gradBias.rank() != 1 || gradX.rank() == 0 || gradBias.shape[0] != gradX.shape[gradX.rank() - 1]
                    || gradBias.dtype() != gradX.dtype()) {
                throw new IllegalArgumentException("cpu biasActivationBackward: gradBias " + gradBias + " does not match gradX " + gradX);
            }
        }
        if (!FusedKernels.biasActivationBackward(gradX, gradBias, grad, y, act)) {
            Backend.super.biasActivationBackward(gradX, gradBias, grad, y, act);
        }
    }

    @Override
    public void batchNormForward(View out, View mean, View var, View x, View weight, View bias, double eps) {
        checkBatchNorm("batchNormForward", x, out, mean, var, weight, bias);
        if (!FusedKernels.batchNormForward(out, mean, var, x, weight, bias, eps)) {
            Backend.super.batchNormForward(out, mean, var, x, weight, bias, eps);
        }
    }

    @Override
    public void batchNormBackward(View gradX, View gradWeight, View gradBias, View gradOut, View x, View mean, View var,
                                  View weight, double eps) {
        checkBatchNorm("batchNormBackward", x, gradOut, mean, var, weight, gradX, gradWeight, gradBias);
        if (!FusedKernels.batchNormBackward(gradX, gradWeight, gradBias, gradOut, x, mean, var, weight, eps)) {
            Backend.super.batchNormBackward(gradX, gradWeight, gradBias, gradOut, x, mean, var, weight, eps);
        }
    }

    /**
     * x is a floating [n, c] matrix; each other operand is x's shape or a [c] vector, all of x's dtype. Null operands
     * (gradients nobody needs) are skipped.
     */
    private static void checkBatchNorm(String name, View x, View... others) {
        checkView(name, "x", x);
        if (x.rank() != 2 || !x.dtype().isFloating() || x.shape[0] == 0) {
            throw new IllegalArgumentException("cpu " + name + ": x must be a floating [n, c] matrix with n > 0, got " + x);
        }
        for (View v : others) {
            if (v == null) continue;
            checkView(name, "operand", v);
            boolean matrix = Arrays.equals(v.shape, x.shape), vector = v.rank() == 1 && v.shape[0] == x.shape[1];
            if (!(matrix || vector) || v.dtype() != x.dtype()) {
                throw new IllegalArgumentException("cpu " + name + ": operand " + v + " does not fit x " + x);
            }
        }
    }

    @Override
    public void adamUpdate(View param, View grad, View m, View v, double lr, double beta1, double beta2, double eps,
                           double weightDecay, boolean decoupled, long step) {
        checkView("adamUpdate", "param", param);
        checkView("adamUpdate", "grad", grad);
        checkView("adamUpdate", "m", m);
        checkView("adamUpdate", "v", v);
        checkSame("adamUpdate", param, "param", grad, "grad");
        checkSame("adamUpdate", param, "param", m, "m");
        checkSame("adamUpdate", param, "param", v, "v");
        if (!FusedKernels.adamUpdate(param, grad, m, v, lr, beta1, beta2, eps, weightDecay, decoupled, step)) {
            Backend.super.adamUpdate(param, grad, m, v, lr, beta1, beta2, eps, weightDecay, decoupled, step);
        }
    }

    @Override
    public void sgdUpdate(View param, View grad, View momentumBuf, double lr, double momentum, double dampening,
                          double weightDecay, boolean nesterov, boolean firstStep) {
        checkView("sgdUpdate", "param", param);
        checkView("sgdUpdate", "grad", grad);
        checkSame("sgdUpdate", param, "param", grad, "grad");
        if (momentumBuf != null) {
            checkView("sgdUpdate", "momentumBuf", momentumBuf);
            checkSame("sgdUpdate", param, "param", momentumBuf, "momentumBuf");
        }
        if (momentum != 0 && momentumBuf == null) {
            throw new IllegalArgumentException("cpu sgdUpdate: momentum " + momentum + " needs a momentum buffer");
        }
        if (!FusedKernels.sgdUpdate(param, grad, momentumBuf, lr, momentum, dampening, weightDecay, nesterov, firstStep)) {
            Backend.super.sgdUpdate(param, grad, momentumBuf, lr, momentum, dampening, weightDecay, nesterov, firstStep);
        }
    }

    @Override
    public String toString() {
        return "CpuBackend[" + Parallel.THREADS + " threads, GEMM: " + CpuGemm.kernelName() + "]";
    }

    // ---- checks ----

    private static CpuBuffer cpu(View v) {
        return (CpuBuffer) v.buffer;
    }

    private static CpuBuffer cpu(Buffer b, String op) {
        if (b instanceof CpuBuffer c) return c;
        throw new IllegalArgumentException("cpu " + op + ": buffer lives on " + b.device() + ", not on the cpu");
    }

    /** The view is on this backend, open, and every element it can address lies inside its buffer. */
    private static void checkView(String op, String role, View v) {
        if (!(v.buffer instanceof CpuBuffer b)) {
            throw new IllegalArgumentException("cpu " + op + ": " + role + " " + v + " lives on " + v.buffer.device()
                    + ", not on the cpu");
        }
        if (b.isClosed()) throw new IllegalStateException("cpu " + op + ": " + role + " " + v + " uses a closed buffer");
        long lo = v.offset, hi = v.offset;
        for (int d = 0; d < v.shape.length; d++) {
            int size = v.shape[d];
            if (size < 0) throw new IllegalArgumentException("cpu " + op + ": " + role + " " + v + " has a negative size");
            if (size == 0) return; // addresses nothing
            long reach = (size - 1) * v.strides[d];
            if (reach < 0) lo += reach; else hi += reach;
        }
        if (lo < 0 || hi >= b.length()) {
            throw new IndexOutOfBoundsException("cpu " + op + ": " + role + " " + v + " addresses elements " + lo + ".." + hi
                    + " but its buffer holds " + b.length());
        }
    }

    private static void checkSame(String op, View out, View in, String role) {
        checkSame(op, out, "out", in, role);
    }

    private static void checkSame(String op, View first, String firstRole, View other, String role) {
        if (!Arrays.equals(first.shape, other.shape)) {
            throw new IllegalArgumentException("cpu " + op + ": " + role + " has shape " + Arrays.toString(other.shape)
                    + " but " + firstRole + " has " + Arrays.toString(first.shape) + " (broadcast inputs to " + firstRole
                    + "'s shape first)");
        }
    }

    /** scores [n, c] and its same-shaped partner, targets [n] of int64, per-row values [n]. */
    private static void checkCrossEntropy(String op, View scores, View partner, String partnerRole, View targets,
                                          View rows, String rowsRole) {
        int n = scores.rank() == 2 ? scores.shape[0] : -1;
        if (n < 0 || !Arrays.equals(scores.shape, partner.shape) || targets.rank() != 1 || targets.shape[0] != n
                || rows.rank() != 1 || rows.shape[0] != n || targets.dtype() != DType.INT64) {
            throw new IllegalArgumentException("cpu " + op + ": expects scores [n, c], " + partnerRole + " [n, c], int64 targets [n]"
                    + " and " + rowsRole + " [n]; got " + scores + ", " + partner + ", " + targets + ", " + rows);
        }
    }

    private static void checkFloating(String op, View out, View in) {
        if (!out.dtype().isFloating() || in.dtype() != out.dtype()) {
            throw new IllegalArgumentException("cpu " + op + ": needs one floating dtype, got out " + out.dtype()
                    + " and in " + in.dtype());
        }
    }

    /**
     * For gather (data = in) and scatterAdd (data = out, then src): index is int64 of data's rank, dim is in range,
     * and along every other axis index is no longer than data (src, which is read at index's positions, must cover
     * index along every axis).
     */
    private static void checkIndexing(String op, View data, int dim, View index, boolean dimMayDiffer) {
        if (index.dtype() != DType.INT64) {
            throw new IllegalArgumentException("cpu " + op + ": index must be int64, got " + index.dtype());
        }
        if (index.rank() != data.rank() || dim < 0 || dim >= data.rank()) {
            throw new IllegalArgumentException("cpu " + op + ": dim " + dim + ", index " + Arrays.toString(index.shape)
                    + " and data " + Arrays.toString(data.shape) + " must have one rank with dim inside it");
        }
        for (int d = 0; d < data.rank(); d++) {
            if ((d != dim || !dimMayDiffer) && index.shape[d] > data.shape[d]) {
                throw new IllegalArgumentException("cpu " + op + ": index " + Arrays.toString(index.shape) + " exceeds "
                        + Arrays.toString(data.shape) + " along axis " + d);
            }
        }
    }
}
