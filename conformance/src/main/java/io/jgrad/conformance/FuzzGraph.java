package io.jgrad.conformance;

import io.jgrad.DType;
import io.jgrad.Device;
import io.jgrad.Grad;
import io.jgrad.Scope;
import io.jgrad.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A random op graph made by {@link FuzzGraphGenerator}: numbered values, each an input leaf, a constant or one op over
 * earlier values. The same graph runs on any device and dtype ({@link #run}), which is what lets the fuzz suite
 * compare a backend in float32 with the CPU in float64. Its {@link #toString()} is the readable op list that a failure
 * prints.
 * <p>
 * The loss that backward starts from is {@code sum over outputs o of (o * w_o).sum()}, with fixed random weights
 * {@code w_o}, so every differentiable output that nothing else consumes sends a non-trivial gradient back.
 */
final class FuzzGraph {

    /** Computes one value from the earlier ones. */
    interface Op {
        Tensor apply(Env env, Tensor[] values);
    }

    /** How an input leaf sits in its storage: dense, a permutation of a dense block, or every step-th slice. */
    enum Layout { CONTIGUOUS, PERMUTED, STEPPED }

    /**
     * An input leaf. PERMUTED leaves are {@code storage.permute(perm)}; STEPPED leaves are
     * {@code storage.slice(dim, pad, end, step)} of a storage padded with NaN, so a kernel that reads a gap shows it.
     */
    record Input(double[] data, int[] shape, boolean requiresGrad, Layout layout, int[] perm, int dim, int step, int pad) {
        String describe() {
            String where;
            switch (layout) {
                case PERMUTED: where = ", a permute" + Arrays.toString(perm) + " view"; break;
                case STEPPED: where = ", a slice(" + dim + ", " + pad + ", .., step " + step + ") view"; break;
                default: where = "";
            }
            return "input " + Arrays.toString(shape) + where + (requiresGrad ? ", requires grad" : "");
        }
    }

    /** One numbered value: {@code input} is set for leaves; {@code args} are the values the op reads. */
    record Step(String text, String opName, int[] args, int[] shape, boolean differentiable, Op op, Input input) {
    }

    /** Where a graph runs: dtype and device, inputs supplied from outside (GradCheck's), and input perturbation. */
    static final class Env {
        final DType dtype;
        final Device device;
        /** Leaves to use in place of the graph's own inputs (by input number), or null. */
        final Tensor[] given;
        /** Non-zero: every input and every op result is scaled by 1 +- PERTURBATION, signs drawn from this seed. */
        final long perturbSeed;
        final List<Tensor> leaves = new ArrayList<>();

        static final double PERTURBATION = 0x1p-21;

        /** With probes, every op result gets a zero added that requires grad, to read the gradient there. */
        final boolean probe;
        final List<Tensor> probes = new ArrayList<>();

        Env(DType dtype, Device device, Tensor[] given, long perturbSeed) {
            this(dtype, device, given, perturbSeed, false);
        }

        Env(DType dtype, Device device, Tensor[] given, long perturbSeed, boolean probe) {
            this.dtype = dtype;
            this.device = device;
            this.given = given;
            this.perturbSeed = perturbSeed;
            this.probe = probe;
        }

        /** A tensor of this env's dtype and device that does not require grad. */
        Tensor constant(double[] values, int[] shape) {
            try (Grad.Mode ignored = Grad.disabled()) {
                return place(dtype == DType.FLOAT32 ? Tensor.of(toFloat(values)) : Tensor.of(values.clone())).reshape(shape);
            }
        }

        Tensor index(long[] values, int[] shape) {
            try (Grad.Mode ignored = Grad.disabled()) {
                return place(Tensor.of(values.clone())).reshape(shape);
            }
        }

        /** Factors 1 +- PERTURBATION with signs drawn from the seed and the value's number. */
        double[] noise(int value, int n) {
            SplittableRandom r = new SplittableRandom(perturbSeed ^ (value * 0x9E3779B97F4A7C15L));
            double[] f = new double[n];
            for (int i = 0; i < n; i++) f[i] = r.nextBoolean() ? 1 + PERTURBATION : 1 - PERTURBATION;
            return f;
        }

        private Tensor place(Tensor t) {
            return t.device().equals(device) ? t : t.to(device);
        }

        Tensor leaf(int number, Input in) {
            Tensor t;
            if (given != null) {
                t = given[number];
            } else {
                double[] data = in.data;
                if (perturbSeed != 0) {
                    double[] noise = noise(-1 - number, data.length);
                    data = data.clone();
                    for (int i = 0; i < data.length; i++) data[i] *= noise[i];
                }
                t = layOut(data, in);
                if (in.requiresGrad) t.requiresGrad(true);
            }
            leaves.add(t);
            return t;
        }

        private Tensor layOut(double[] data, Input in) {
            int[] shape = in.shape;
            switch (in.layout) {
                case PERMUTED: {
                    int r = shape.length;
                    int[] storageShape = new int[r];
                    for (int i = 0; i < r; i++) storageShape[in.perm[i]] = shape[i];
                    double[] storage = new double[data.length];
                    for (int flat = 0; flat < data.length; flat++) {
                        int[] idx = unravel(flat, shape);
                        int[] sidx = new int[r];
                        for (int i = 0; i < r; i++) sidx[in.perm[i]] = idx[i];
                        storage[ravel(sidx, storageShape)] = data[flat];
                    }
                    return constant(storage, storageShape).permute(in.perm);
                }
                case STEPPED: {
                    int[] storageShape = shape.clone();
                    storageShape[in.dim] = in.pad + shape[in.dim] * in.step;
                    double[] storage = new double[numel(storageShape)];
                    Arrays.fill(storage, Double.NaN);
                    for (int flat = 0; flat < data.length; flat++) {
                        int[] idx = unravel(flat, shape);
                        idx[in.dim] = in.pad + idx[in.dim] * in.step;
                        storage[ravel(idx, storageShape)] = data[flat];
                    }
                    return constant(storage, storageShape).slice(in.dim, in.pad, storageShape[in.dim], in.step);
                }
                default:
                    return constant(data, shape);
            }
        }
    }

    /**
     * What one run produced, copied to the host: outputs, the loss, each input's gradient (null when none), and the
     * largest magnitude among all values and among all gradients (those of intermediate values only with probes).
     */
    record Outcome(double[][] outputs, int[][] outputShapes, DType[] outputDtypes, double loss, double[][] grads,
                   int[][] gradShapes, double valueScale, double gradScale) {
    }

    final long seed;
    final List<Step> steps;
    /** The values nothing consumes; compared forward. */
    final int[] outputs;
    /** The differentiable outputs and their loss weights. */
    final int[] lossTerms;
    final double[][] lossWeights;

    FuzzGraph(long seed, List<Step> steps, int[] outputs, int[] lossTerms, double[][] lossWeights) {
        this.seed = seed;
        this.steps = List.copyOf(steps);
        this.outputs = outputs;
        this.lossTerms = lossTerms;
        this.lossWeights = lossWeights;
    }

    int inputCount() {
        int n = 0;
        for (Step s : steps) if (s.input != null) n++;
        return n;
    }

    List<Input> inputs() {
        List<Input> in = new ArrayList<>();
        for (Step s : steps) if (s.input != null) in.add(s.input);
        return in;
    }

    boolean hasLoss() {
        return lossTerms.length > 0;
    }

    /**
     * Forward values of every step. In a perturbed env every op's result is also scaled element-wise by 1 +- 2^-21,
     * a stand-in for float32 rounding at every op that backward then sees in the saved values too.
     */
    Tensor[] forward(Env env) {
        Tensor[] v = new Tensor[steps.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = steps.get(i).op.apply(env, v);
            if (env.perturbSeed != 0 && steps.get(i).input == null) {
                v[i] = v[i].mul(env.constant(env.noise(i, (int) v[i].numel()), v[i].shape().toArray()));
            }
            if (env.probe && steps.get(i).input == null) {
                // x + 0 is exactly x, and backward passes the gradient of x to the probe unchanged
                Tensor zero = env.constant(new double[(int) v[i].numel()], v[i].shape().toArray()).requiresGrad(true);
                env.probes.add(zero);
                v[i] = v[i].add(zero);
            }
        }
        return v;
    }

    /** sum over loss terms of (value * weight).sum(), or null when no output is differentiable. */
    Tensor loss(Env env, Tensor[] v) {
        Tensor loss = null;
        for (int k = 0; k < lossTerms.length; k++) {
            Tensor out = v[lossTerms[k]];
            Tensor term = out.mul(env.constant(lossWeights[k], out.shape().toArray())).sum();
            loss = loss == null ? term : loss.add(term);
        }
        return loss;
    }

    /** Runs forward and backward in env and copies everything to the host; frees what it made on the device. */
    Outcome run(Env env) {
        try (Scope ignored = Scope.open()) {
            Tensor[] v = forward(env);
            Tensor loss = loss(env, v);
            if (loss != null) loss.backward();
            double[][] outs = new double[outputs.length][];
            int[][] outShapes = new int[outputs.length][];
            DType[] dtypes = new DType[outputs.length];
            for (int k = 0; k < outputs.length; k++) {
                Tensor o = v[outputs[k]];
                outs[k] = o.toDoubleArray();
                outShapes[k] = o.shape().toArray();
                dtypes[k] = o.dtype();
            }
            double valueScale = 0;
            for (Tensor t : v) valueScale = Math.max(valueScale, maxAbs(t.toDoubleArray()));
            double[][] grads = new double[env.leaves.size()][];
            double gradScale = 0;
            int[][] gradShapes = new int[env.leaves.size()][];
            for (int k = 0; k < grads.length; k++) {
                Tensor g = env.leaves.get(k).grad();
                if (g == null) continue;
                grads[k] = g.toDoubleArray();
                gradShapes[k] = g.shape().toArray();
                gradScale = Math.max(gradScale, maxAbs(grads[k]));
                env.leaves.get(k).setGrad(null);
                g.close();
            }
            for (Tensor p : env.probes) {
                if (p.grad() != null) gradScale = Math.max(gradScale, maxAbs(p.grad().toDoubleArray()));
            }
            return new Outcome(outs, outShapes, dtypes, loss == null ? Double.NaN : loss.item(), grads, gradShapes,
                    valueScale, gradScale);
        }
    }

    /** The number of the step that defines input {@code k}. */
    int inputStep(int k) {
        int n = 0;
        for (int i = 0; i < steps.size(); i++) {
            if (steps.get(i).input != null && n++ == k) return i;
        }
        throw new IndexOutOfBoundsException("input " + k);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("fuzz graph seed 0x%016x, %d values:%n", seed, steps.size()));
        for (Step s : steps) {
            String line = "  " + s.text;
            sb.append(line);
            for (int pad = line.length(); pad < 72; pad++) sb.append(' ');
            sb.append(" -> ").append(Arrays.toString(s.shape)).append(s.differentiable ? "" : " (no grad)").append('\n');
        }
        sb.append("  outputs compared: ").append(names(outputs)).append('\n');
        sb.append("  loss = sum of (v * w_v).sum() over ")
                .append(lossTerms.length == 0 ? "(none: forward only)" : names(lossTerms));
        return sb.toString();
    }

    private static String names(int[] ids) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < ids.length; i++) sb.append(i == 0 ? "" : ", ").append('v').append(ids[i]);
        return sb.toString();
    }

    // ---------------------------------------------------------------- host helpers shared with the generator

    static double maxAbs(double[] h) {
        double m = 0;
        for (double x : h) m = Math.max(m, Math.abs(x));
        return m;
    }

    static float[] toFloat(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) f[i] = (float) v[i];
        return f;
    }

    static int numel(int[] shape) {
        int n = 1;
        for (int d : shape) n *= d;
        return n;
    }

    static int[] unravel(int flat, int[] shape) {
        int[] idx = new int[shape.length];
        for (int i = shape.length - 1; i >= 0; i--) {
            idx[i] = flat % shape[i];
            flat /= shape[i];
        }
        return idx;
    }

    static int ravel(int[] idx, int[] shape) {
        int flat = 0;
        for (int i = 0; i < shape.length; i++) flat = flat * shape[i] + idx[i];
        return flat;
    }

    /** NumPy broadcasting of shapes, or null when they do not broadcast. */
    static int[] broadcast(int[]... shapes) {
        int n = 0;
        for (int[] s : shapes) n = Math.max(n, s.length);
        int[] out = new int[n];
        Arrays.fill(out, 1);
        for (int[] s : shapes) {
            for (int i = 0; i < s.length; i++) {
                int o = n - s.length + i;
                if (s[i] == out[o] || s[i] == 1) continue;
                if (out[o] != 1) return null;
                out[o] = s[i];
            }
        }
        return out;
    }

    /** A row-major array of {@code shape} broadcast to {@code to}. */
    static double[] expand(double[] data, int[] shape, int[] to) {
        double[] out = new double[numel(to)];
        int shift = to.length - shape.length;
        for (int flat = 0; flat < out.length; flat++) {
            int[] idx = unravel(flat, to);
            int src = 0;
            for (int i = 0; i < shape.length; i++) src = src * shape[i] + (shape[i] == 1 ? 0 : idx[i + shift]);
            out[flat] = data[src];
        }
        return out;
    }
}
