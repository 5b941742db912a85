package io.jgrad.cpu;

import io.jgrad.DType;
import io.jgrad.Device;
import io.jgrad.spi.Backend;
import io.jgrad.spi.BinaryOp;
import io.jgrad.spi.Buffer;
import io.jgrad.spi.Contract;
import io.jgrad.spi.CounterRandom;
import io.jgrad.spi.Distribution;
import io.jgrad.spi.Gemm;
import io.jgrad.spi.HalfOperands;
import io.jgrad.spi.MemoryStats;
import io.jgrad.spi.ReduceOp;
import io.jgrad.spi.UnaryOp;
import io.jgrad.spi.View;

/**
 * The pure-Java backend: buffers are Java arrays, kernels are plain loops (and the Vector API for float32 GEMM when
 * the JVM has it), big kernels are split across a shared thread pool. Every kernel checks that its views are cpu
 * buffers, open and inside their buffers, then the SPI's {@link Contract} (dtypes, shapes, axes), so misuse fails
 * with a message naming the op and the views instead of corrupting memory; the checks cost a few comparisons per
 * axis.
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

    /**
     * Heap arrays handed out by {@link ArrayPool} (buffers and kernels' scratch) and not yet returned; cached is what
     * the pool holds for reuse, and deviceAllocations counts the pooled-size arrays it had to make anew.
     */
    @Override
    public MemoryStats memoryStats() {
        return new MemoryStats(ArrayPool.bytesInUse(), ArrayPool.pooledBytes(), ArrayPool.peakBytesInUse(), ArrayPool.freshArrays());
    }

    @Override
    public void resetPeakMemoryStats() {
        ArrayPool.resetPeak();
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
    public Buffer upload(short[] bits, DType dtype) {
        if (!dtype.isHalf()) throw new IllegalArgumentException("cpu upload: short[] holds float16 or bfloat16 bits, not " + dtype);
        short[] a = ArrayPool.shorts(bits.length);
        System.arraycopy(bits, 0, a, 0, bits.length);
        return CpuBuffer.of(a, dtype);
    }

    @Override
    public void download(Buffer src, long srcOffset, short[] dst, int dstOffset, int length) {
        checkDownload(src, src.dtype().isHalf() ? src.dtype() : DType.FLOAT16, srcOffset, dst.length, dstOffset, length);
        System.arraycopy(cpu(src, "download").shorts(), (int) srcOffset, dst, dstOffset, length);
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
        Contract.unary(op, out, in);
        if (HalfOperands.any(out, in)) {
            HalfViews.unary(op, out, in, a, b);
            return;
        }
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
        Contract.binary(op, out, x, y);
        if (HalfOperands.any(out, x, y)) {
            if (HalfViews.tiles(op, out, x)) {
                HalfViews.binary(op, out, x, y);
                return;
            }
            HalfOperands.run(this, h -> binary(op, h.out(out), h.in(x), h.in(y)));
            return;
        }
        DType dt = x.dtype();
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
        Contract.where(out, condition, x, y);
        if (HalfOperands.any(out, condition, x, y)) {
            HalfOperands.run(this, h -> where(h.out(out), h.in(condition), h.in(x), h.in(y)));
            return;
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
        Contract.reduce(op, out, in, axis);
        if (HalfOperands.any(out, in)) {
            HalfOperands.run(this, h -> reduce(op, h.out(out), h.in(in), axis));
            return;
        }
        if (in.shape[axis] == 0) { // a sum (the contract allows no other op here)
            fill(out, 0);
            return;
        }
        ReduceKernels.reduce(op, out, in, axis);
    }

    @Override
    public void gemm(Gemm gemm) {
        CpuGemm.gemm(this, gemm);
    }

    @Override
    public void gather(View out, View in, int dim, View index) {
        checkView("gather", "out", out);
        checkView("gather", "in", in);
        checkView("gather", "index", index);
        Contract.gather(out, in, dim, index);
        if (HalfOperands.any(out, in)) {
            HalfOperands.run(this, h -> gather(h.out(out), h.in(in), dim, index));
            return;
        }
        if (!EmbeddingRows.gather(out, in, dim, index)) IndexKernels.gather(out, in, dim, index);
    }

    @Override
    public void scatterAdd(View out, int dim, View index, View src) {
        checkView("scatterAdd", "out", out);
        checkView("scatterAdd", "index", index);
        checkView("scatterAdd", "src", src);
        Contract.scatterAdd(out, dim, index, src);
        if (HalfOperands.any(out, src)) {
            HalfOperands.run(this, h -> scatterAdd(h.inOut(out), dim, index, h.in(src)));
            return;
        }
        if (!EmbeddingRows.scatterAdd(out, dim, index, src)) IndexKernels.scatterAdd(out, dim, index, src);
    }

    @Override
    public void copy(View out, View in) {
        checkView("copy", "out", out);
        checkView("copy", "in", in);
        Contract.copy(out, in);
        if (HalfOperands.any(out, in)) {
            HalfViews.copy(this, out, in);
            return;
        }
        if (out.isContiguous() && in.isContiguous() && Parallel.chunks(out.numel()) == 1) {
            BinaryKernels.convert(cpu(out).array(), (int) out.offset, cpu(in).array(), (int) in.offset, (int) out.numel());
            return;
        }
        if (Transpose.copy(out, in) || RowCopy.copy(out, in)) return;
        Strided.forEach(new View[]{out, in}, 1, (pos, n, o, oo, x, xo, u2, o2, u3, o3) ->
                BinaryKernels.convert(o, oo, x, xo, n));
    }

    @Override
    public void fill(View out, double value) {
        checkView("fill", "out", out);
        if (HalfOperands.any(out)) {
            HalfViews.fill(out, value);
            return;
        }
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
            throw new IllegalArgumentException("cpu random: out must be floating or int64, got " + out);
        }
        if (HalfOperands.any(out)) {
            HalfOperands.run(this, h -> random(h.out(out), distribution, seed, a, b));
            return;
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
        Contract.softmax(out, in, axis, log);
        if (HalfOperands.any(out, in)) {
            HalfOperands.run(this, h -> softmax(h.out(out), h.in(in), axis, log));
            return;
        }
        if (!FusedKernels.softmax(out, in, axis, log)) Backend.super.softmax(out, in, axis, log);
    }

    @Override
    public void crossEntropyForward(View losses, View logProbs, View logits, View targets) {
        checkView("crossEntropyForward", "losses", losses);
        checkView("crossEntropyForward", "logProbs", logProbs);
        checkView("crossEntropyForward", "logits", logits);
        checkView("crossEntropyForward", "targets", targets);
        Contract.crossEntropyForward(losses, logProbs, logits, targets);
        if (HalfOperands.any(losses, logProbs, logits)) {
            HalfOperands.run(this, h -> crossEntropyForward(h.out(losses), h.out(logProbs), h.in(logits), targets));
            return;
        }
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
        Contract.crossEntropyBackward(gradLogits, logProbs, targets, gradLosses);
        if (HalfOperands.any(gradLogits, logProbs, gradLosses)) {
            HalfOperands.run(this, h -> crossEntropyBackward(h.out(gradLogits), h.in(logProbs), targets, h.in(gradLosses)));
            return;
        }
        if (!FusedKernels.crossEntropyBackward(gradLogits, logProbs, targets, gradLosses)) {
            Backend.super.crossEntropyBackward(gradLogits, logProbs, targets, gradLosses);
        }
    }

    @Override
    public void biasActivation(View out, View x, View bias, UnaryOp act) {
        checkView("biasActivation", "out", out);
        checkView("biasActivation", "x", x);
        checkView("biasActivation", "bias", bias);
        Contract.biasActivation(out, x, bias, act);
        if (HalfOperands.any(out, x, bias)) {
            HalfOperands.run(this, h -> biasActivation(h.out(out), h.in(x), h.in(bias), act));
            return;
        }
        if (!FusedKernels.biasActivation(out, x, bias, act)) Backend.super.biasActivation(out, x, bias, act);
    }

    @Override
    public void reluBackward(View out, View grad, View output) {
        checkView("reluBackward", "out", out);
        checkView("reluBackward", "grad", grad);
        checkView("reluBackward", "output", output);
        Contract.reluBackward(out, grad, output);
        if (HalfOperands.any(out, grad, output)) {
            HalfOperands.run(this, h -> reluBackward(h.out(out), h.in(grad), h.in(output)));
            return;
        }
        if (FusedKernels.reluBackward(out, grad, output)) return;
        // strided operands (a gradient broadcast back from a sum or a mean): one strided pass, not the default's two
        // kernels; a broadcast scalar gradient reaches the vector loop in blocks (Strided.runScalarBroadcast)
        Strided.forEach(new View[]{out, grad, output}, 1, (pos, n, o, oo, g, go, y, yo, u3, o3) -> {
            if (o instanceof float[] of) {
                float[] gf = (float[]) g, yf = (float[]) y;
                if (BinaryKernels.separate(of, oo, gf, go, n) && BinaryKernels.separate(of, oo, yf, yo, n)) {
                    FloatSimd.INSTANCE.reluGrad(of, oo, gf, go, yf, yo, n);
                    return;
                }
                for (int i = 0; i < n; i++) of[oo + i] = yf[yo + i] <= 0 ? 0f : gf[go + i];
            } else {
                double[] od = (double[]) o, gd = (double[]) g, yd = (double[]) y;
                for (int i = 0; i < n; i++) od[oo + i] = yd[yo + i] <= 0 ? 0.0 : gd[go + i];
            }
        });
    }

    @Override
    public void biasActivationBackward(View gradX, View gradBias, View grad, View y, UnaryOp act) {
        checkView("biasActivationBackward", "gradX", gradX);
        checkView("biasActivationBackward", "grad", grad);
        checkView("biasActivationBackward", "y", y);
        if (gradBias != null) checkView("biasActivationBackward", "gradBias", gradBias);
        Contract.biasActivationBackward(gradX, gradBias, grad, y);
        if (HalfOperands.any(gradX, gradBias, grad, y)) {
            HalfOperands.run(this, h -> biasActivationBackward(h.out(gradX), h.out(gradBias), h.in(grad), h.in(y), act));
            return;
        }
        if (!FusedKernels.biasActivationBackward(gradX, gradBias, grad, y, act)) {
            Backend.super.biasActivationBackward(gradX, gradBias, grad, y, act);
        }
    }

    @Override
    public void geluBackward(View gradX, View gradBias, View grad, View x, View bias, UnaryOp act) {
        checkView("geluBackward", "gradX", gradX);
        checkView("geluBackward", "grad", grad);
        checkView("geluBackward", "x", x);
        if (bias != null) checkView("geluBackward", "bias", bias);
        if (gradBias != null) checkView("geluBackward", "gradBias", gradBias);
        Contract.geluBackward(gradX, gradBias, grad, x, bias, act);
        if (HalfOperands.any(gradX, gradBias, grad, x, bias)) {
            HalfOperands.run(this, h -> geluBackward(h.out(gradX), h.out(gradBias), h.in(grad), h.in(x), h.in(bias), act));
            return;
        }
        if (!FusedKernels.geluBackward(gradX, gradBias, grad, x, bias, act)) {
            Backend.super.geluBackward(gradX, gradBias, grad, x, bias, act);
        }
    }

    @Override
    public void batchNormForward(View out, View mean, View var, View x, View weight, View bias, double eps) {
        checkBatchNorm("batchNormForward", x, out, mean, var, weight, bias);
        if (HalfOperands.any(out, mean, var, x, weight, bias)) {
            HalfOperands.run(this, h -> batchNormForward(h.out(out), h.out(mean), h.out(var), h.in(x), h.in(weight), h.in(bias), eps));
            return;
        }
        if (!ChannelBatchNorm.forward(out, mean, var, x, weight, bias, eps)
                && !FusedKernels.batchNormForward(out, mean, var, x, weight, bias, eps)) {
            Backend.super.batchNormForward(out, mean, var, x, weight, bias, eps);
        }
    }

    @Override
    public void batchNormBackward(View gradX, View gradWeight, View gradBias, View gradOut, View x, View mean, View var,
                                  View weight, double eps) {
        checkBatchNorm("batchNormBackward", x, gradOut, mean, var, weight, gradX, gradWeight, gradBias);
        if (HalfOperands.any(gradX, gradWeight, gradBias, gradOut, x, mean, var, weight)) {
            HalfOperands.run(this, h -> batchNormBackward(h.out(gradX), h.out(gradWeight), h.out(gradBias), h.in(gradOut), h.in(x),
                    h.in(mean), h.in(var), h.in(weight), eps));
            return;
        }
        if (!ChannelBatchNorm.backward(gradX, gradWeight, gradBias, gradOut, x, mean, var, weight, eps)
                && !FusedKernels.batchNormBackward(gradX, gradWeight, gradBias, gradOut, x, mean, var, weight, eps)) {
            Backend.super.batchNormBackward(gradX, gradWeight, gradBias, gradOut, x, mean, var, weight, eps);
        }
    }

    @Override
    public void layerNormForward(View out, View mean, View rstd, View x, View weight, View bias, double eps) {
        checkLayerNorm("layerNormForward", x, out, mean, rstd, weight, bias);
        if (HalfOperands.any(out, mean, rstd, x, weight, bias)) {
            HalfOperands.run(this, h -> layerNormForward(h.out(out), h.out(mean), h.out(rstd), h.in(x), h.in(weight), h.in(bias), eps));
            return;
        }
        if (!LayerNormKernels.forward(out, mean, rstd, x, weight, bias, eps)) Backend.super.layerNormForward(out, mean, rstd, x, weight, bias, eps);
    }

    @Override
    public void layerNormBackward(View gradX, View gradWeight, View gradBias, View gradOut, View x, View mean, View rstd, View weight) {
        checkLayerNorm("layerNormBackward", x, gradX, gradWeight, gradBias, gradOut, mean, rstd, weight);
        if (HalfOperands.any(gradX, gradWeight, gradBias, gradOut, x, mean, rstd, weight)) {
            HalfOperands.run(this, h -> layerNormBackward(h.out(gradX), h.out(gradWeight), h.out(gradBias), h.in(gradOut), h.in(x),
                    h.in(mean), h.in(rstd), h.in(weight)));
            return;
        }
        if (!LayerNormKernels.backward(gradX, gradWeight, gradBias, gradOut, x, mean, rstd, weight)) {
            Backend.super.layerNormBackward(gradX, gradWeight, gradBias, gradOut, x, mean, rstd, weight);
        }
    }

    private static void checkLayerNorm(String name, View x, View... others) {
        checkView(name, "x", x);
        for (View v : others) if (v != null) checkView(name, "operand", v);
        Contract.layerNorm(name, x, others);
    }

    /** Every operand (null ones are gradients nobody needs) is a valid cpu view, then the contract. */
    private static void checkBatchNorm(String name, View x, View... others) {
        checkView(name, "x", x);
        for (View v : others) if (v != null) checkView(name, "operand", v);
        Contract.batchNorm(name, x, others);
    }

    @Override
    public void adamUpdate(View param, View grad, View m, View v, double lr, double beta1, double beta2, double eps,
                           double weightDecay, boolean decoupled, long step) {
        checkView("adamUpdate", "param", param);
        checkView("adamUpdate", "grad", grad);
        checkView("adamUpdate", "m", m);
        checkView("adamUpdate", "v", v);
        Contract.adamUpdate(param, grad, m, v);
        if (HalfOperands.any(param, grad, m, v)) {
            HalfOperands.run(this, h -> adamUpdate(h.inOut(param), h.in(grad), h.inOut(m), h.inOut(v), lr, beta1, beta2, eps,
                    weightDecay, decoupled, step));
            return;
        }
        if (!FusedKernels.adamUpdate(param, grad, m, v, lr, beta1, beta2, eps, weightDecay, decoupled, step)) {
            Backend.super.adamUpdate(param, grad, m, v, lr, beta1, beta2, eps, weightDecay, decoupled, step);
        }
    }

    @Override
    public void sgdUpdate(View param, View grad, View momentumBuf, double lr, double momentum, double dampening,
                          double weightDecay, boolean nesterov, boolean firstStep) {
        checkView("sgdUpdate", "param", param);
        checkView("sgdUpdate", "grad", grad);
        if (momentumBuf != null) checkView("sgdUpdate", "momentumBuf", momentumBuf);
        Contract.sgdUpdate(param, grad, momentumBuf, momentum);
        if (HalfOperands.any(param, grad, momentumBuf)) {
            HalfOperands.run(this, h -> sgdUpdate(h.inOut(param), h.in(grad), h.inOut(momentumBuf), lr, momentum, dampening,
                    weightDecay, nesterov, firstStep));
            return;
        }
        if (!FusedKernels.sgdUpdate(param, grad, momentumBuf, lr, momentum, dampening, weightDecay, nesterov, firstStep)) {
            Backend.super.sgdUpdate(param, grad, momentumBuf, lr, momentum, dampening, weightDecay, nesterov, firstStep);
        }
    }

    @Override
    public void unscaleAndCheck(View grad, View foundInf, double invScale) {
        checkView("unscaleAndCheck", "grad", grad);
        checkView("unscaleAndCheck", "foundInf", foundInf);
        Contract.unscaleAndCheck(grad, foundInf);
        if (!FusedKernels.unscaleAndCheck(grad, foundInf, invScale)) Backend.super.unscaleAndCheck(grad, foundInf, invScale);
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

    // ---- reductions, scans and sorting ----

    @Override
    public void scan(io.jgrad.spi.ScanOp op, View out, View in, int axis) {
        String name = "scan " + op;
        checkView(name, "out", out);
        checkView(name, "in", in);
        Contract.scan(op, out, in, axis);
        if (HalfOperands.any(out, in)) {
            HalfOperands.run(this, h -> scan(op, h.out(out), h.in(in), axis));
            return;
        }
        ScanKernels.scan(op, out, in, axis);
    }

    @Override
    public void sort(View values, View indices, View in, int axis, boolean descending) {
        checkView("sort", "values", values);
        checkView("sort", "indices", indices);
        checkView("sort", "in", in);
        Contract.sort(values, indices, in, axis);
        if (HalfOperands.any(values, in)) {
            HalfOperands.run(this, h -> sort(h.out(values), indices, h.in(in), axis, descending));
            return;
        }
        SortKernels.sort(values, indices, in, axis, descending);
    }

    // ---- convolutions ----
    // float32 runs ConvKernels (im2col in bounded tiles on the packed GEMM, threads over images); float64 the default.

    @Override
    public void conv2dForward(View out, View x, View weight, View bias, io.jgrad.spi.ConvGeometry g) {
        Contract.conv("conv2dForward", g, x, weight, out, bias);
        if (HalfOperands.any(out, x, weight, bias)) {
            HalfOperands.run(this, h -> conv2dForward(h.out(out), h.in(x), h.in(weight), h.in(bias), g));
            return;
        }
        if (!checkConv("conv2dForward", out, x, weight, bias)) {
            Backend.super.conv2dForward(out, x, weight, bias, g);
        } else if (g.batch() > 0) {
            ConvKernels.forward(out, x, weight, bias, g);
        }
    }

    @Override
    public void conv2dBackwardInput(View gradX, View gradOut, View weight, io.jgrad.spi.ConvGeometry g) {
        Contract.conv("conv2dBackwardInput", g, gradX, weight, gradOut, null);
        if (HalfOperands.any(gradX, gradOut, weight)) {
            HalfOperands.run(this, h -> conv2dBackwardInput(h.out(gradX), h.in(gradOut), h.in(weight), g));
            return;
        }
        if (!checkConv("conv2dBackwardInput", gradX, gradOut, weight)) {
            Backend.super.conv2dBackwardInput(gradX, gradOut, weight, g);
        } else if (g.batch() > 0) {
            ConvKernels.backwardInput(gradX, gradOut, weight, g);
        }
    }

    @Override
    public void conv2dBackwardWeight(View gradWeight, View gradBias, View gradOut, View x, io.jgrad.spi.ConvGeometry g) {
        Contract.conv("conv2dBackwardWeight", g, x, gradWeight, gradOut, gradBias);
        if (HalfOperands.any(gradWeight, gradBias, gradOut, x)) {
            HalfOperands.run(this, h -> conv2dBackwardWeight(h.out(gradWeight), h.out(gradBias), h.in(gradOut), h.in(x), g));
            return;
        }
        if (!checkConv("conv2dBackwardWeight", gradWeight, gradBias, gradOut, x)) {
            Backend.super.conv2dBackwardWeight(gradWeight, gradBias, gradOut, x, g);
        } else {
            ConvKernels.backwardWeight(gradWeight, gradBias, gradOut, x, g);
        }
    }

    /** Checks that the (non-null) views are this backend's; true when they are float32, which ConvKernels serves. */
    private static boolean checkConv(String op, View... views) {
        boolean f32 = true;
        for (View v : views) {
            if (v == null) continue;
            checkView(op, "operand", v);
            f32 &= v.dtype() == DType.FLOAT32;
        }
        return f32;
    }

    // ---- pooling and resampling ----

    @Override
    public void pool2d(View out, View indices, View in, io.jgrad.spi.Pool2d p) {
        checkView("pool2d", "out", out);
        checkView("pool2d", "in", in);
        if (indices != null) checkView("pool2d", "indices", indices);
        Contract.pool2d(out, indices, in, p);
        if (HalfOperands.any(out, in)) {
            HalfOperands.run(this, h -> pool2d(h.out(out), indices, h.in(in), p));
            return;
        }
        PoolKernels.forward(out, indices, in, p);
    }

    @Override
    public void pool2dBackward(View gradIn, View grad, View indices, io.jgrad.spi.Pool2d p) {
        checkView("pool2dBackward", "gradIn", gradIn);
        checkView("pool2dBackward", "grad", grad);
        if (indices != null) {
            checkView("pool2dBackward", "indices", indices);
        }
        Contract.pool2dBackward(gradIn, grad, indices, p);
        if (HalfOperands.any(gradIn, grad)) {
            HalfOperands.run(this, h -> pool2dBackward(h.out(gradIn), h.in(grad), indices, p));
            return;
        }
        if (indices != null) PoolKernels.checkIndices(indices, p);
        PoolKernels.backward(gradIn, grad, indices, p);
    }

    // ---- attention ----

    @Override
    public void attentionForward(View out, View lse, View q, View k, View v, View mask, boolean causal, double scale) {
        for (View x : new View[]{out, lse, q, k, v, mask}) if (x != null) checkView("attentionForward", "view", x);
        Contract.attention("attentionForward", out, lse, q, k, v, mask);
        if (HalfOperands.any(out, lse, q, k, v, mask)) {
            HalfOperands.run(this, h -> attentionForward(h.out(out), h.out(lse), h.in(q), h.in(k), h.in(v), h.in(mask), causal,
                    scale));
            return;
        }
        if (AttentionKernels.covers(q)) AttentionKernels.forward(out, lse, q, k, v, mask, causal, scale);
        else Backend.super.attentionForward(out, lse, q, k, v, mask, causal, scale);
    }

    @Override
    public void attentionBackward(View dq, View dk, View dv, View dOut, View q, View k, View v, View out, View lse,
                                  View mask, boolean causal, double scale) {
        for (View x : new View[]{dq, dk, dv, dOut, q, k, v, out, lse, mask}) if (x != null) checkView("attentionBackward", "view", x);
        Contract.attention("attentionBackward", out, lse, q, k, v, mask);
        Contract.attentionGradients(dq, dk, dv, dOut, q, k, v, out);
        if (HalfOperands.any(dq, dk, dv, dOut, q, k, v, out, lse, mask)) {
            HalfOperands.run(this, h -> attentionBackward(h.out(dq), h.out(dk), h.out(dv), h.in(dOut), h.in(q), h.in(k), h.in(v),
                    h.in(out), h.in(lse), h.in(mask), causal, scale));
            return;
        }
        if (AttentionKernels.covers(q)) AttentionKernels.backward(dq, dk, dv, dOut, q, k, v, out, lse, mask, causal, scale);
        else Backend.super.attentionBackward(dq, dk, dv, dOut, q, k, v, out, lse, mask, causal, scale);
    }
}
