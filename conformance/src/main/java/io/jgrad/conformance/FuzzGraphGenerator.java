package io.jgrad.conformance;

import io.jgrad.DType;
import io.jgrad.Device;
import io.jgrad.Functional;
import io.jgrad.Functional.Activation;
import io.jgrad.Grad;
import io.jgrad.Scope;
import io.jgrad.Tensor;
import io.jgrad.conformance.FuzzGraph.Env;
import io.jgrad.conformance.FuzzGraph.Input;
import io.jgrad.conformance.FuzzGraph.Layout;
import io.jgrad.conformance.FuzzGraph.Op;
import io.jgrad.conformance.FuzzGraph.Step;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;

/**
 * Builds a random {@link FuzzGraph} from a seed. The generator evaluates every candidate op at once in float64 on the
 * CPU, so it knows the values it works with and keeps every op in its safe domain: log, sqrt, rsqrt and fractional
 * powers see positive inputs; division and reciprocals see values away from zero; relu, abs, sign, clamp, maximum,
 * comparisons and max/min reductions see inputs at least a margin away from their kinks and ties (the generator
 * nudges the input with a constant shift or picks thresholds in gaps between the values). A candidate whose result
 * is not finite, too large or too big is dropped. What is left differs between float32 and float64 only by rounding,
 * so a mismatch is a bug.
 * <p>
 * The same seed gives the same graph on every machine: all choices come from one {@link SplittableRandom}, and the
 * values that steer them are computed by the CPU backend in float64.
 */
final class FuzzGraphGenerator {
    static final int MAX_NUMEL = 256;
    static final double MAX_ABS = 1e3;

    private final long seed;
    private final SplittableRandom rnd;
    private final Env env = new Env(DType.FLOAT64, Device.CPU, null, 0);
    private final List<Step> steps = new ArrayList<>();
    private final List<Tensor> values = new ArrayList<>();
    private final List<double[]> hosts = new ArrayList<>();

    private FuzzGraphGenerator(long seed) {
        this.seed = seed;
        this.rnd = new SplittableRandom(seed);
    }

    static FuzzGraph generate(long seed) {
        return new FuzzGraphGenerator(seed).build();
    }

    /** The part of the graph built so far, for an error report when the generator itself fails. */
    private String partial() {
        return new FuzzGraph(seed, steps, new int[0], new int[0], new double[0][]).toString();
    }

    private FuzzGraph build() {
        // the float64 values are needed only while generating; the graph keeps ops and host data
        try (Scope ignored = Scope.open()) {
            int[] first = randomShape();
            newInput(first, uniform(FuzzGraph.numel(first), -2, 2), true);
            if (rnd.nextInt(3) == 0) newInput(randomShape(), -2, 2);
            int wanted = 2 + rnd.nextInt(9);
            int done = 0;
            for (int attempt = 0; done < wanted && attempt < 20 * wanted; attempt++) {
                int mark = steps.size();
                boolean ok;
                int family = rnd.nextInt(100);
                if (family < 20) ok = unary();
                else if (family < 40) ok = binary();
                else if (family < 53) ok = reduction();
                else if (family < 62) ok = matmul();
                else if (family < 77) ok = view();
                else if (family < 83) ok = indexing();
                else if (family < 88) ok = catOrStack();
                else if (family < 93) ok = where();
                else ok = functional();
                if (ok) done++;
                else truncate(mark);
            }
            if (done == 0) unaryStep(steps.size() - 1, "neg()", "neg", Tensor::neg);
        } catch (RuntimeException e) {
            throw new IllegalStateException("the fuzz generator failed while evaluating a candidate op on the float64 CPU "
                    + "reference: " + e + "\n" + partial(), e);
        }
        return finish();
    }

    private FuzzGraph finish() {
        int n = steps.size();
        boolean[] consumed = new boolean[n];
        for (Step s : steps) for (int a : s.args()) consumed[a] = true;
        List<Integer> outs = new ArrayList<>();
        List<Integer> terms = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Step s = steps.get(i);
            if (consumed[i] || s.input() != null || s.opName().equals("const")) continue;
            outs.add(i);
            if (s.differentiable()) terms.add(i);
        }
        if (outs.isEmpty()) outs.add(n - 1);
        double[][] weights = new double[terms.size()][];
        for (int k = 0; k < weights.length; k++) {
            weights[k] = uniform(FuzzGraph.numel(steps.get(terms.get(k)).shape()), -1, 1);
        }
        return new FuzzGraph(seed, steps, outs.stream().mapToInt(Integer::intValue).toArray(),
                terms.stream().mapToInt(Integer::intValue).toArray(), weights);
    }

    // ---------------------------------------------------------------- bookkeeping

    private void truncate(int size) {
        while (steps.size() > size) {
            int last = steps.size() - 1;
            steps.remove(last);
            values.remove(last);
            hosts.remove(last);
        }
    }

    /**
     * Evaluates a candidate op on the float64 values and appends it, or returns -1 (appending nothing) when its
     * result is not finite, exceeds {@link #MAX_ABS} or has more than {@link #MAX_NUMEL} elements.
     */
    private int add(String call, String opName, int[] args, Op op, Input input) {
        Tensor t = op.apply(env, values.toArray(new Tensor[0]));
        double[] h = t.toDoubleArray();
        if (h.length > MAX_NUMEL) return -1;
        for (double x : h) if (!(Math.abs(x) <= MAX_ABS)) return -1;
        int id = steps.size();
        steps.add(new Step("v" + id + " = " + call, opName, args, t.shape().toArray(), t.requiresGrad(), op, input));
        values.add(t);
        hosts.add(h);
        return id;
    }

    private int add(String call, String opName, int[] args, Op op) {
        return add(call, opName, args, op, null);
    }

    private int[] shape(int v) {
        return steps.get(v).shape();
    }

    private int inputCount() {
        int n = 0;
        for (Step s : steps) if (s.input() != null) n++;
        return n;
    }

    /** An operand: usually the newest value (chains), otherwise a random earlier one, preferably differentiable. */
    private int pick() {
        int n = steps.size();
        if (rnd.nextInt(2) == 0) return n - 1;
        for (int tries = 0; tries < 4; tries++) {
            int i = rnd.nextInt(n);
            if (steps.get(i).differentiable()) return i;
        }
        return rnd.nextInt(n);
    }

    private static String v(int id) {
        return "v" + id;
    }

    private static String num(double c) {
        return Float.toString((float) c);
    }

    // ---------------------------------------------------------------- random data and shapes

    /** n values uniform in [lo, hi), rounded to float so both dtypes start from the same numbers. */
    private double[] uniform(int n, double lo, double hi) {
        double[] d = new double[n];
        for (int i = 0; i < n; i++) d[i] = (float) (lo + (hi - lo) * rnd.nextDouble());
        return d;
    }

    private int size() {
        return rnd.nextInt(4) == 0 ? 1 : 2 + rnd.nextInt(4);
    }

    private int[] randomShape() {
        int p = rnd.nextInt(20);
        int rank = p == 0 ? 0 : p < 4 ? 1 : p < 11 ? 2 : p < 17 ? 3 : 4;
        int[] s = new int[rank];
        for (int i = 0; i < rank; i++) s[i] = size();
        while (FuzzGraph.numel(s) > 64) s[rnd.nextInt(rank)] = 1;
        return s;
    }

    /** A shape that broadcasts with {@code s}: some sizes set to 1, size-1 dims grown, leading dims dropped or added. */
    private int[] broadcastPartner(int[] s) {
        int[] b = s.clone();
        int mode = rnd.nextInt(10);
        if (mode >= 3) {
            for (int i = 0; i < b.length; i++) {
                if (b[i] == 1 && rnd.nextInt(3) == 0) b[i] = 2 + rnd.nextInt(2);
                else if (rnd.nextInt(3) == 0) b[i] = 1;
            }
        }
        if (mode >= 7 && b.length > 0) b = Arrays.copyOfRange(b, rnd.nextInt(b.length + 1), b.length);
        if (mode == 9 && b.length < 4) {
            int[] c = new int[b.length + 1];
            c[0] = 2 + rnd.nextInt(2);
            System.arraycopy(b, 0, c, 1, b.length);
            b = c;
        }
        return b;
    }

    private int newInput(int[] shape, double[] data, boolean requiresGrad) {
        int r = shape.length;
        Layout layout = Layout.CONTIGUOUS;
        int[] perm = null;
        int dim = 0, step = 1, pad = 0;
        int p = rnd.nextInt(10);
        if (r >= 2 && p < 3) {
            layout = Layout.PERMUTED;
            perm = permutation(r);
        } else if (r >= 1 && p < 5) {
            layout = Layout.STEPPED;
            dim = rnd.nextInt(r);
            step = 2 + rnd.nextInt(2);
            pad = rnd.nextInt(3);
        }
        Input in = new Input(data, shape.clone(), requiresGrad, layout, perm, dim, step, pad);
        int number = inputCount();
        return add(in.describe(), "input", new int[0], (e, v) -> e.leaf(number, in), in);
    }

    private int newInput(int[] shape, double lo, double hi) {
        return newInput(shape, uniform(FuzzGraph.numel(shape), lo, hi), rnd.nextInt(5) != 0);
    }

    private int[] permutation(int r) {
        int[] p = new int[r];
        for (int i = 0; i < r; i++) p[i] = i;
        for (int i = r - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    /** A dimension index in [0, rank), written negatively half of the time. */
    private int dimOf(int axis, int rank) {
        return rnd.nextBoolean() ? axis : axis - rank;
    }

    // ---------------------------------------------------------------- domain helpers

    private static double min(double[] h) {
        double m = Double.POSITIVE_INFINITY;
        for (double x : h) m = Math.min(m, x);
        return m;
    }

    private static double minAbs(double[] h, double shift) {
        double m = Double.POSITIVE_INFINITY;
        for (double x : h) m = Math.min(m, Math.abs(x + shift));
        return m;
    }

    /** How far from a kink or tie a value must stay: far beyond float32 rounding of a value of that magnitude. */
    static double margin(double[] h) {
        return 2e-3 * Math.max(1, FuzzGraph.maxAbs(h));
    }

    private int unaryStep(int x, String call, String opName, UnaryOperator<Tensor> f) {
        return add(v(x) + "." + call, opName, new int[]{x}, (e, v) -> f.apply(v[x]));
    }

    /** x itself when all its values are at least 0.1, else a positive function of it; -1 when that fails. */
    private int positive(int x) {
        double[] h = hosts.get(x);
        if (min(h) >= 0.1) return x;
        switch (rnd.nextInt(3)) {
            case 0: return unaryStep(x, "sigmoid().add(0.1)", "sigmoid", t -> t.sigmoid().add(0.1));
            case 1: if (FuzzGraph.maxAbs(h) <= 3) return unaryStep(x, "exp()", "exp", Tensor::exp);
                // fall through
            default: return unaryStep(x, "square().add(0.25)", "square", t -> t.square().add(0.25));
        }
    }

    /** x itself when no value is within minAbs of zero, else x shifted by a constant that moves every value away. */
    private int awayFromZero(int x, double minAbs) {
        double[] h = hosts.get(x);
        if (minAbs(h, 0) >= minAbs) return x;
        double scale = Math.max(1, FuzzGraph.maxAbs(h));
        for (int tries = 0; tries < 8; tries++) {
            double c = (float) ((rnd.nextDouble() * 2 - 1) * 1.5 * scale);
            if (minAbs(h, c) >= minAbs) return unaryStep(x, "add(" + num(c) + ")", "add", t -> t.add(c));
        }
        return -1;
    }

    /** A float threshold at least {@code m} away from every value (between two values, or below or above them all). */
    private double threshold(double[] h, double m) {
        double[] s = h.clone();
        Arrays.sort(s);
        List<Double> candidates = new ArrayList<>();
        for (int i = 0; i + 1 < s.length; i++) {
            if (s[i + 1] - s[i] > 4 * m) candidates.add((double) (float) ((s[i] + s[i + 1]) / 2));
        }
        if (candidates.isEmpty() || rnd.nextInt(8) == 0) {
            candidates.add((double) (float) (rnd.nextBoolean() ? s[0] - 0.25 : s[s.length - 1] + 0.25));
        }
        double t = candidates.get(rnd.nextInt(candidates.size()));
        return minAbs(h, -t) >= m ? t : Double.NaN;
    }

    /** Whether every slice along {@code axis} has a unique extreme, ahead of the runner-up by at least m. */
    private static boolean clearExtremes(double[] h, int[] shape, int axis, boolean max, double m) {
        int len = shape[axis];
        int inner = 1;
        for (int d = axis + 1; d < shape.length; d++) inner *= shape[d];
        int outer = h.length / Math.max(1, len * inner);
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                double best = Double.NEGATIVE_INFINITY, second = Double.NEGATIVE_INFINITY;
                for (int k = 0; k < len; k++) {
                    double x = h[(o * len + k) * inner + i];
                    if (!max) x = -x;
                    if (x > best) {
                        second = best;
                        best = x;
                    } else if (x > second) {
                        second = x;
                    }
                }
                if (best - second < m) return false;
            }
        }
        return true;
    }

    /** Whether a and b, broadcast together, differ by at least m everywhere. */
    private boolean apart(int a, int b, double m) {
        int[] out = FuzzGraph.broadcast(shape(a), shape(b));
        double[] x = FuzzGraph.expand(hosts.get(a), shape(a), out);
        double[] y = FuzzGraph.expand(hosts.get(b), shape(b), out);
        for (int i = 0; i < x.length; i++) if (Math.abs(x[i] - y[i]) < m) return false;
        return true;
    }

    // ---------------------------------------------------------------- op families

    private boolean unary() {
        int x = pick();
        double[] h = hosts.get(x);
        double m = margin(h);
        int y;
        switch (rnd.nextInt(20)) {
            case 0: y = unaryStep(x, "neg()", "neg", Tensor::neg); break;
            case 1: y = Arrays.stream(h).max().orElse(0) <= 5 ? unaryStep(x, "exp()", "exp", Tensor::exp) : -1; break;
            case 2: y = (x = positive(x)) < 0 ? -1 : unaryStep(x, "log()", "log", Tensor::log); break;
            case 3: y = (x = positive(x)) < 0 ? -1 : unaryStep(x, "sqrt()", "sqrt", Tensor::sqrt); break;
            case 4: y = (x = positive(x)) < 0 ? -1 : unaryStep(x, "rsqrt()", "rsqrt", Tensor::rsqrt); break;
            case 5: y = unaryStep(x, "square()", "square", Tensor::square); break;
            case 6:
                y = (x = awayFromZero(x, 0.25)) < 0 ? -1 : unaryStep(x, "reciprocal()", "reciprocal", Tensor::reciprocal);
                break;
            case 7: y = unaryStep(x, "tanh()", "tanh", Tensor::tanh); break;
            case 8: y = unaryStep(x, "sigmoid()", "sigmoid", Tensor::sigmoid); break;
            case 9: y = (x = awayFromZero(x, m)) < 0 ? -1 : unaryStep(x, "relu()", "relu", Tensor::relu); break;
            case 10: {
                double slope = (float) (0.05 + 0.3 * rnd.nextDouble());
                y = (x = awayFromZero(x, m)) < 0 ? -1
                        : unaryStep(x, "leakyRelu(" + num(slope) + ")", "leakyRelu", t -> t.leakyRelu(slope));
                break;
            }
            case 11: y = unaryStep(x, "gelu()", "gelu", Tensor::gelu); break;
            case 12: y = (x = awayFromZero(x, m)) < 0 ? -1 : unaryStep(x, "abs()", "abs", Tensor::abs); break;
            case 13: y = (x = awayFromZero(x, m)) < 0 ? -1 : unaryStep(x, "sign()", "sign", Tensor::sign); break;
            case 14: y = FuzzGraph.maxAbs(h) <= 20 ? unaryStep(x, "sin()", "sin", Tensor::sin) : -1; break;
            case 15: y = FuzzGraph.maxAbs(h) <= 20 ? unaryStep(x, "cos()", "cos", Tensor::cos) : -1; break;
            case 16: {
                double lo = threshold(h, m), hi = threshold(h, m);
                if (Double.isNaN(lo) || Double.isNaN(hi) || lo == hi) return false;
                double a = Math.min(lo, hi), b = Math.max(lo, hi);
                y = unaryStep(x, "clamp(" + num(a) + ", " + num(b) + ")", "clamp", t -> t.clamp(a, b));
                break;
            }
            case 17: {
                double lo = threshold(h, m);
                y = Double.isNaN(lo) ? -1 : unaryStep(x, "clampMin(" + num(lo) + ")", "clampMin", t -> t.clampMin(lo));
                break;
            }
            case 18: {
                double[] exponents = {2, 3, -1, 0.5, 1.5, -0.5, 2.5};
                double e = exponents[rnd.nextInt(exponents.length)];
                if (e != 2 && e != 3) x = positive(x);
                y = x < 0 ? -1 : unaryStep(x, "pow(" + num(e) + ")", "powScalar", t -> t.pow(e));
                break;
            }
            default: {
                double c = (float) ((rnd.nextBoolean() ? 1 : -1) * (0.1 + 1.9 * rnd.nextDouble()));
                switch (rnd.nextInt(6)) {
                    case 0: y = unaryStep(x, "add(" + num(c) + ")", "addScalar", t -> t.add(c)); break;
                    case 1: y = unaryStep(x, "sub(" + num(c) + ")", "subScalar", t -> t.sub(c)); break;
                    case 2: y = unaryStep(x, "mul(" + num(c) + ")", "mulScalar", t -> t.mul(c)); break;
                    case 3: y = unaryStep(x, "div(" + num(c) + ")", "divScalar", t -> t.div(c)); break;
                    case 4: y = unaryStep(x, "rsub(" + num(c) + ")", "rsub", t -> t.rsub(c)); break;
                    default:
                        y = (x = awayFromZero(x, 0.25)) < 0 ? -1 : unaryStep(x, "rdiv(" + num(c) + ")", "rdiv", t -> t.rdiv(c));
                }
            }
        }
        return y >= 0;
    }

    /** A second operand for a; broadcasting with a: a itself, an earlier compatible value, or a new input. */
    private int partner(int a, double lo, double hi) {
        int r = rnd.nextInt(10);
        if (r == 0) return a;
        if (r < 4) {
            List<Integer> ok = new ArrayList<>();
            for (int j = 0; j < steps.size(); j++) {
                int[] out = FuzzGraph.broadcast(shape(a), shape(j));
                if (j != a && out != null && FuzzGraph.numel(out) <= MAX_NUMEL) ok.add(j);
            }
            if (!ok.isEmpty()) return ok.get(rnd.nextInt(ok.size()));
        }
        return newInput(broadcastPartner(shape(a)), lo, hi);
    }

    private boolean binary() {
        int kind = rnd.nextInt(11);
        int a = pick();
        double lo = -2, hi = 2;
        if (kind == 4) { // exponents of pow stay moderate
            lo = -1.5;
            hi = 1.5;
        }
        int b = partner(a, lo, hi);
        if (b < 0) return false;
        if (FuzzGraph.broadcast(shape(a), shape(b)) == null) return false;
        int l = a, r = b;
        if (rnd.nextBoolean()) {
            l = b;
            r = a;
        }
        if (kind == 3) r = awayFromZero(r, 0.25);
        if (kind == 4) {
            l = positive(l);
            if (r >= 0 && FuzzGraph.maxAbs(hosts.get(r)) > 2) r = unaryStep(r, "tanh()", "tanh", Tensor::tanh);
        }
        if (l < 0 || r < 0) return false;
        if (kind >= 5) {
            double m = Math.max(margin(hosts.get(l)), margin(hosts.get(r)));
            if (!apart(l, r, m)) return false;
        }
        String[] names = {"add", "sub", "mul", "div", "pow", "maximum", "minimum", "gt", "lt", "ge", "le"};
        int x = l, y = r;
        String call = v(x) + "." + names[kind] + "(" + v(y) + ")" + (kind >= 7 ? ".to(dtype)" : "");
        Op op;
        switch (kind) {
            case 0: op = (e, v) -> v[x].add(v[y]); break;
            case 1: op = (e, v) -> v[x].sub(v[y]); break;
            case 2: op = (e, v) -> v[x].mul(v[y]); break;
            case 3: op = (e, v) -> v[x].div(v[y]); break;
            case 4: op = (e, v) -> v[x].pow(v[y]); break;
            case 5: op = (e, v) -> v[x].maximum(v[y]); break;
            case 6: op = (e, v) -> v[x].minimum(v[y]); break;
            case 7: op = (e, v) -> v[x].gt(v[y]).to(v[x].dtype()); break; // bool, as a float mask
            case 8: op = (e, v) -> v[x].lt(v[y]).to(v[x].dtype()); break; // bool, as a float mask
            case 9: op = (e, v) -> v[x].ge(v[y]).to(v[x].dtype()); break; // bool, as a float mask
            default: op = (e, v) -> v[x].le(v[y]).to(v[x].dtype());
        }
        return add(call, names[kind], new int[]{x, y}, op) >= 0;
    }

    private boolean reduction() {
        int x = pick();
        int[] s = shape(x);
        int rank = s.length;
        double[] h = hosts.get(x);
        double m = margin(h);
        int kind = rnd.nextInt(rank == 0 ? 3 : 14);
        if (kind < 3) {
            switch (kind) {
                case 0: return unaryStep(x, "sum()", "sumAll", Tensor::sum) >= 0;
                case 1: return unaryStep(x, "mean()", "meanAll", Tensor::mean) >= 0;
                default: {
                    boolean max = rnd.nextBoolean();
                    if (!clearExtremes(h, new int[]{h.length}, 0, max, m)) return false;
                    return (max ? unaryStep(x, "max()", "maxAll", Tensor::max) : unaryStep(x, "min()", "minAll", Tensor::min)) >= 0;
                }
            }
        }
        int axis = rnd.nextInt(rank);
        int d = dimOf(axis, rank);
        boolean keep = rnd.nextBoolean();
        String dk = d + ", " + keep;
        switch (kind) {
            case 3: case 4: return unaryStep(x, "sum(" + dk + ")", "sumDim", t -> t.sum(d, keep)) >= 0;
            case 5: return unaryStep(x, "mean(" + dk + ")", "meanDim", t -> t.mean(d, keep)) >= 0;
            case 6: case 7: {
                boolean max = kind == 6;
                if (!clearExtremes(h, s, axis, max, m)) return false;
                return max ? unaryStep(x, "max(" + dk + ")", "maxDim", t -> t.max(d, keep)) >= 0
                        : unaryStep(x, "min(" + dk + ")", "minDim", t -> t.min(d, keep)) >= 0;
            }
            case 8: {
                if (s[axis] < 2) return false;
                boolean unbiased = rnd.nextBoolean();
                return unaryStep(x, "var(" + dk + ", " + unbiased + ")", "varDim", t -> t.var(d, keep, unbiased)) >= 0;
            }
            case 9: return h.length >= 2 && unaryStep(x, "var()", "varAll", Tensor::var) >= 0;
            case 10: return unaryStep(x, "logSumExp(" + dk + ")", "logSumExp", t -> t.logSumExp(d, keep)) >= 0;
            case 11: return unaryStep(x, "softmax(" + d + ")", "softmax", t -> t.softmax(d)) >= 0;
            case 12: return unaryStep(x, "logSoftmax(" + d + ")", "logSoftmax", t -> t.logSoftmax(d)) >= 0;
            default: {
                // gather at argmax (or argmin): a differentiable pick through an int64 index computed on the device
                boolean max = rnd.nextBoolean();
                if (!clearExtremes(h, s, axis, max, m)) return false;
                String arg = max ? "argmax" : "argmin";
                return unaryStep(x, "gather(" + d + ", " + v(x) + "." + arg + "(" + d + ", true))", "gatherArg",
                        t -> t.gather(d, max ? t.argmax(d, true) : t.argmin(d, true))) >= 0;
            }
        }
    }

    private boolean matmul() {
        int a = pick();
        int[] s = shape(a);
        int rank = s.length;
        if (rank == 0) return false;
        if (rank >= 2 && rnd.nextInt(5) == 0) {
            // a value times its own transpose: both operands strided views of one storage
            return unaryStep(a, "matmul(" + v(a) + ".transpose(-2, -1))", "matmul",
                    t -> t.matmul(t.transpose(-2, -1))) >= 0;
        }
        // a new operand on the right (or left) of a: 1-D, a matrix, a batch matching a's (or broadcasting a over a new
        // batch), or a batch of one broadcast against a's batch
        boolean aLeft = rnd.nextInt(3) != 0;
        int k = aLeft || rank == 1 ? s[rank - 1] : s[rank - 2];
        int n = 1 + rnd.nextInt(4);
        int[] matrix = aLeft ? new int[]{k, n} : new int[]{n, k};
        int batch = rank >= 3 ? s[rank - 3] : 2 + rnd.nextInt(2);
        int[] other;
        switch (rnd.nextInt(4)) {
            case 0: other = new int[]{k}; break;
            case 1: other = matrix; break;
            case 2: other = new int[]{batch, matrix[0], matrix[1]}; break;
            default: other = new int[]{rank >= 3 ? 1 : batch, matrix[0], matrix[1]};
        }
        int b = newInput(other, -1.5, 1.5);
        if (b < 0) return false;
        int x = aLeft ? a : b, y = aLeft ? b : a;
        return add(v(x) + ".matmul(" + v(y) + ")", "matmul", new int[]{x, y}, (e, v) -> v[x].matmul(v[y])) >= 0;
    }

    private boolean view() {
        int x = pick();
        int[] s = shape(x);
        int rank = s.length;
        switch (rnd.nextInt(13)) {
            case 0: {
                if (rank < 2) return false;
                int d0 = dimOf(rnd.nextInt(rank), rank), d1 = dimOf(rnd.nextInt(rank), rank);
                return unaryStep(x, "transpose(" + d0 + ", " + d1 + ")", "transpose", t -> t.transpose(d0, d1)) >= 0;
            }
            case 1: return rank <= 2 && unaryStep(x, "t()", "t", Tensor::t) >= 0;
            case 2: {
                if (rank < 2) return false;
                int[] p = permutation(rank);
                for (int i = 0; i < rank; i++) p[i] = dimOf(p[i], rank);
                return unaryStep(x, "permute(" + join(p) + ")", "permute", t -> t.permute(p)) >= 0;
            }
            case 3: case 4: {
                if (rank == 0) return false;
                int axis = rnd.nextInt(rank), d = dimOf(axis, rank), n = s[axis];
                int start = rnd.nextInt(n), step = 1 + rnd.nextInt(3);
                int end = start + 1 + rnd.nextInt(n - start + 1); // may run past the end: slice clamps it
                int st = rnd.nextInt(4) == 0 ? start - n : start; // negative start counts from the end
                String call = "slice(" + d + ", " + st + ", " + end + ", " + step + ")";
                return unaryStep(x, call, "slice", t -> t.slice(d, st, end, step)) >= 0;
            }
            case 5: {
                if (rank == 0) return false;
                int axis = rnd.nextInt(rank), d = dimOf(axis, rank), n = s[axis];
                int start = rnd.nextInt(n), len = 1 + rnd.nextInt(n - start);
                String call = "narrow(" + d + ", " + start + ", " + len + ")";
                return unaryStep(x, call, "narrow", t -> t.narrow(d, start, len)) >= 0;
            }
            case 6: {
                if (rank == 0) return false;
                int axis = rnd.nextInt(rank), d = dimOf(axis, rank), n = s[axis];
                int i = rnd.nextInt(n) - (rnd.nextInt(4) == 0 ? n : 0);
                return unaryStep(x, "select(" + d + ", " + i + ")", "select", t -> t.select(d, i)) >= 0;
            }
            case 7: {
                int lead = rank < 4 && rnd.nextInt(3) == 0 ? 1 : 0;
                int[] to = new int[rank + lead];
                if (lead == 1) to[0] = 2 + rnd.nextInt(2);
                boolean grew = lead == 1;
                for (int i = 0; i < rank; i++) {
                    if (s[i] == 1 && rnd.nextBoolean()) {
                        to[i + lead] = 2 + rnd.nextInt(3);
                        grew = true;
                    } else {
                        to[i + lead] = rnd.nextInt(3) == 0 ? -1 : s[i];
                    }
                }
                return grew && unaryStep(x, "expand(" + join(to) + ")", "expand", t -> t.expand(to)) >= 0;
            }
            case 8: case 9: {
                int[] to = factorization(FuzzGraph.numel(s));
                if (to.length > 0 && rnd.nextInt(3) == 0) to[rnd.nextInt(to.length)] = -1;
                return unaryStep(x, "reshape(" + join(to) + ")", "reshape", t -> t.reshape(to)) >= 0;
            }
            case 10: {
                if (rank < 2 || rnd.nextBoolean()) return unaryStep(x, "flatten()", "flatten", Tensor::flatten) >= 0;
                int a = rnd.nextInt(rank), b = a + rnd.nextInt(rank - a);
                int da = dimOf(a, rank), db = dimOf(b, rank);
                return unaryStep(x, "flatten(" + da + ", " + db + ")", "flatten", t -> t.flatten(da, db)) >= 0;
            }
            case 11: {
                List<Integer> ones = new ArrayList<>();
                for (int i = 0; i < rank; i++) if (s[i] == 1) ones.add(i);
                if (!ones.isEmpty() && rnd.nextBoolean()) {
                    int d = dimOf(ones.get(rnd.nextInt(ones.size())), rank);
                    return unaryStep(x, "squeeze(" + d + ")", "squeeze", t -> t.squeeze(d)) >= 0;
                }
                if (!ones.isEmpty() && rnd.nextBoolean()) return unaryStep(x, "squeeze()", "squeeze", Tensor::squeeze) >= 0;
                if (rank >= 4) return false;
                int d = rnd.nextInt(rank + 1) - (rnd.nextBoolean() ? rank + 1 : 0);
                return unaryStep(x, "unsqueeze(" + d + ")", "unsqueeze", t -> t.unsqueeze(d)) >= 0;
            }
            default: {
                switch (rnd.nextInt(5)) {
                    case 0: case 1: return unaryStep(x, "contiguous()", "contiguous", Tensor::contiguous) >= 0;
                    case 2: case 3: return unaryStep(x, "clone()", "clone", Tensor::clone) >= 0;
                    default: return unaryStep(x, "detach()", "detach", Tensor::detach) >= 0;
                }
            }
        }
    }

    /** A random shape of rank 0 to 4 with the given number of elements. */
    private int[] factorization(int numel) {
        List<Integer> primes = new ArrayList<>();
        int n = numel;
        for (int p = 2; n > 1; p++) {
            while (n % p == 0) {
                primes.add(p);
                n /= p;
            }
        }
        int rank = Math.max(numel == 1 ? 0 : 1, rnd.nextInt(5));
        int[] s = new int[rank];
        Arrays.fill(s, 1);
        if (rank == 0) return s;
        for (int p : primes) s[rnd.nextInt(rank)] *= p;
        return s;
    }

    private boolean indexing() {
        int x = pick();
        int[] s = shape(x);
        int rank = s.length;
        if (rank == 0) return false;
        int axis = rnd.nextInt(rank), d = dimOf(axis, rank), n = s[axis];
        if (rnd.nextBoolean()) {
            boolean scalarIndex = rnd.nextInt(6) == 0;
            int len = scalarIndex ? 1 : 1 + rnd.nextInt(5);
            long[] idx = new long[len];
            for (int i = 0; i < len; i++) idx[i] = rnd.nextInt(n); // repeats: the gradient must add them up
            int[] idxShape = scalarIndex ? new int[0] : new int[]{len};
            String text = (scalarIndex ? "0-d " : "") + Arrays.toString(idx);
            return unaryStep(x, "indexSelect(" + d + ", " + text + ")", "indexSelect",
                    t -> t.indexSelect(d, envIndex(t, idx, idxShape))) >= 0;
        }
        int[] idxShape = new int[rank];
        for (int i = 0; i < rank; i++) {
            idxShape[i] = i == axis ? 1 + rnd.nextInt(4) : rnd.nextInt(3) == 0 ? 1 + rnd.nextInt(s[i]) : s[i];
        }
        long[] idx = new long[FuzzGraph.numel(idxShape)];
        for (int i = 0; i < idx.length; i++) idx[i] = rnd.nextInt(n);
        String text = idx.length <= 12 ? Arrays.toString(idx) + " shaped " + Arrays.toString(idxShape)
                : "int64" + Arrays.toString(idxShape);
        return unaryStep(x, "gather(" + d + ", " + text + ")", "gather", t -> t.gather(d, envIndex(t, idx, idxShape))) >= 0;
    }

    /** An int64 index on the device of t (the op lambdas see only tensors, so the device comes from the operand). */
    private static Tensor envIndex(Tensor t, long[] idx, int[] shape) {
        try (Grad.Mode ignored = Grad.disabled()) {
            Tensor i = Tensor.of(idx.clone()).reshape(shape);
            return i.device().equals(t.device()) ? i : i.to(t.device());
        }
    }

    private boolean catOrStack() {
        int a = pick();
        int[] s = shape(a);
        int rank = s.length;
        int parts = 2 + rnd.nextInt(2);
        int[] ids = new int[parts];
        ids[0] = a;
        boolean cat = rank >= 1 && rnd.nextBoolean();
        int axis = cat ? rnd.nextInt(rank) : rnd.nextInt(rank + 1);
        for (int p = 1; p < parts; p++) {
            int choice = rnd.nextInt(10);
            if (choice < 2) {
                ids[p] = a;
            } else {
                int[] ps = s.clone();
                if (cat) ps[axis] = 1 + rnd.nextInt(3);
                ids[p] = choice < 3 ? sameShapeValue(ps, a) : -1;
                if (ids[p] < 0) ids[p] = newInput(ps, -2, 2);
                if (ids[p] < 0) return false;
            }
        }
        // shuffle the order so the original is not always first
        for (int i = parts - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = ids[i];
            ids[i] = ids[j];
            ids[j] = t;
        }
        int d = cat ? dimOf(axis, rank) : dimOf(axis, rank + 1);
        StringBuilder list = new StringBuilder();
        for (int i = 0; i < parts; i++) list.append(i == 0 ? "" : ", ").append(v(ids[i]));
        String call = (cat ? "cat" : "stack") + "([" + list + "], " + d + ")";
        Op op = (e, v) -> {
            List<Tensor> ts = new ArrayList<>();
            for (int id : ids) ts.add(v[id]);
            return cat ? Tensor.cat(ts, d) : Tensor.stack(ts, d);
        };
        return add(call, cat ? "cat" : "stack", ids.clone(), op) >= 0;
    }

    /** An earlier value other than {@code not} with exactly this shape, or -1. */
    private int sameShapeValue(int[] shape, int not) {
        for (int j = steps.size() - 1; j >= 0; j--) {
            if (j != not && Arrays.equals(shape(j), shape)) return j;
        }
        return -1;
    }

    private boolean where() {
        int x = pick();
        int[] s = shape(x);
        int cond;
        int c = rnd.nextInt(3);
        if (c == 0) {
            // a comparison of some value with a threshold in a gap between its values
            int src = pick();
            double t = threshold(hosts.get(src), margin(hosts.get(src)));
            if (Double.isNaN(t)) return false;
            cond = unaryStep(src, "gt(" + num(t) + ").to(dtype)", "gtScalar", u -> u.gt(t).to(u.dtype()));
        } else {
            int[] cs = broadcastPartner(s);
            double[] mask = new double[FuzzGraph.numel(cs)];
            for (int i = 0; i < mask.length; i++) mask[i] = rnd.nextBoolean() ? 1 : 0;
            cond = add("const mask " + Arrays.toString(cs) + (mask.length <= 12 ? " " + Arrays.toString(mask) : ""), "const",
                    new int[0], (e, v) -> e.constant(mask, cs));
        }
        if (cond < 0) return false;
        int y = partner(x, -2, 2);
        if (y < 0 || FuzzGraph.broadcast(shape(cond), shape(x), shape(y)) == null) return false;
        boolean swap = rnd.nextBoolean();
        int p = swap ? y : x, q = swap ? x : y, k = cond;
        return add("where(" + v(k) + ".ne(0), " + v(p) + ", " + v(q) + ")", "where", new int[]{k, p, q},
                (e, v) -> Tensor.where(v[k].ne(0), v[p], v[q])) >= 0;
    }

    private boolean functional() {
        int x = pick();
        int[] s = shape(x);
        int rank = s.length;
        if (rank == 0) return false;
        int in = s[rank - 1];
        switch (rnd.nextInt(3)) {
            case 0: {
                int rows = FuzzGraph.numel(s) / Math.max(1, in);
                if (rows == 0) return false;
                long[] targets = new long[rows];
                for (int i = 0; i < rows; i++) targets[i] = rnd.nextInt(in);
                String text = targets.length <= 12 ? Arrays.toString(targets) : "int64[" + rows + "]";
                return unaryStep(x, "reshape(-1, " + in + ") |> Functional.crossEntropy(_, " + text + ")", "crossEntropy",
                        t -> Functional.crossEntropy(t.reshape(-1, in), envIndex(t, targets, new int[]{rows}))) >= 0;
            }
            case 1: {
                int out = 1 + rnd.nextInt(5);
                int w = newInput(new int[]{out, in}, -1, 1);
                if (w < 0) return false;
                boolean withBias = rnd.nextInt(10) < 7;
                int b = withBias ? newInput(new int[]{out}, -1, 1) : -1;
                if (withBias && b < 0) return false;
                Activation act = activation(x, w, b);
                if (act == null) return false;
                int bb = b;
                String call = "Functional.linear(" + v(x) + ", " + v(w) + ", " + (b < 0 ? "null" : v(b)) + ", " + act + ")";
                int[] args = b < 0 ? new int[]{x, w} : new int[]{x, w, b};
                return add(call, "linear", args, (e, v) -> Functional.linear(v[x], v[w], bb < 0 ? null : v[bb], act)) >= 0;
            }
            default: {
                int b = newInput(new int[]{in}, -1, 1);
                if (b < 0) return false;
                Activation act = activation(x, -1, b);
                if (act == null) return false;
                String call = "Functional.biasActivation(" + v(x) + ", " + v(b) + ", " + act + ")";
                Op op = (e, v) -> Functional.biasActivation(v[x], v[b], act);
                return add(call, "biasActivation", new int[]{x, b}, op) >= 0;
            }
        }
    }

    /**
     * A random activation; RELU only when every pre-activation (x wᵀ + b, or x + b without w) is clear of zero,
     * otherwise TANH.
     */
    private Activation activation(int x, int w, int b) {
        Activation[] all = Activation.values();
        Activation act = all[rnd.nextInt(all.length)];
        if (act != Activation.RELU) return act;
        double[] z;
        try (Grad.Mode ignored = Grad.disabled()) {
            Tensor xv = values.get(x), bv = b < 0 ? null : values.get(b);
            z = (w < 0 ? xv.add(bv) : Functional.linear(xv, values.get(w), bv, Activation.NONE)).toDoubleArray();
        }
        return minAbs(z, 0) >= margin(z) ? act : Activation.TANH;
    }

    private static String join(int[] a) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < a.length; i++) sb.append(i == 0 ? "" : ", ").append(a[i]);
        return sb.toString();
    }
}
