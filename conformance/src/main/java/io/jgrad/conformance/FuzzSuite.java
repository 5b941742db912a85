package io.jgrad.conformance;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.jgrad.DType;
import io.jgrad.Device;
import io.jgrad.Grad;
import io.jgrad.GradCheck;
import io.jgrad.Scope;
import io.jgrad.Tensor;
import io.jgrad.conformance.FuzzGraph.Env;
import io.jgrad.conformance.FuzzGraph.Input;
import io.jgrad.conformance.FuzzGraph.Outcome;
import io.jgrad.conformance.FuzzGraph.Step;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Randomized differential testing: thousands of random op graphs (see {@link FuzzGraphGenerator} for the op mix and
 * how it keeps every op in its safe domain) run forward and backward on the device under test in float32, and the
 * forward values and input gradients must match the same graph run in float64 on the CPU. A smaller set of graphs is
 * also checked in float64 on the device against central differences ({@link GradCheck}).
 * <p>
 * Tolerance, per element e of a compared tensor T (an output, the loss or an input gradient):
 * {@code |float32 - float64| <= 2e-5 |e| + 2e-6 max|T| + 1e-6 G + 16 s}.
 * <ul>
 * <li>G is the graph's magnitude: the largest float64 value anywhere in the forward pass (for outputs), or the largest
 * gradient anywhere in the backward pass (for gradients; the reference reads them from zero-valued probes added to
 * every op result). A result that cancels to nearly zero (a softmax gradient summed over its row, 1 - tanh^2 of a
 * saturated tanh) still carries float32 rounding of the magnitudes it came from.
 * <li>s is how far the float64 result moves when every input and every op result is scaled by 1 +- 2^-21 (random
 * signs, two draws, the larger move counts; float32 rounds to within 2^-24): the graph's own sensitivity to
 * float32-sized errors, so an ill-conditioned graph gets the slack it needs and a well-conditioned one none.
 * </ul>
 * A wrong gradient rule, stride or broadcast is off by orders of magnitude more; the run prints the worst error as a
 * fraction of its tolerance.
 * <p>
 * System properties: {@code jgrad.fuzz.seed=0x...} replays exactly one graph (both tests) and prints it;
 * {@code jgrad.fuzz.graphs} and {@code jgrad.fuzz.gradcheckGraphs} change how many graphs run.
 */
public abstract class FuzzSuite extends TensorBaseSuite {
    private static final long DIFFERENTIAL_BASE = 0x6A67726164L; // "jgrad"
    private static final long GRADCHECK_BASE = 0x6772616463L;   // "gradc"
    private static final int DEFAULT_GRAPHS = 10_000;
    private static final int DEFAULT_GRADCHECK_GRAPHS = 1_000;
    /** GradCheck costs two forward passes per input element: keep it to small graphs. */
    private static final int GRADCHECK_MAX_ELEMENTS = 48;
    private static final int MAX_REPORTED_FAILURES = 3;

    // The tolerance terms; see the class comment.
    private static final double RTOL = 2e-5;
    private static final double TENSOR_ATOL = 2e-6;
    private static final double GRAPH_ATOL = 1e-6;
    private static final double SENSITIVITY = 16;

    /** Every op the generator can emit; a run of the full count must use each at least once. */
    static final Set<String> OP_NAMES = Set.of("neg", "exp", "log", "sqrt", "rsqrt", "square", "reciprocal", "tanh",
            "sigmoid", "relu", "leakyRelu", "gelu", "abs", "sign", "sin", "cos", "clamp", "clampMin", "powScalar",
            "addScalar", "subScalar", "mulScalar", "divScalar", "rsub", "rdiv", "add", "sub", "mul", "div", "pow",
            "maximum", "minimum", "gt", "lt", "ge", "le", "gtScalar", "sumAll", "meanAll", "maxAll", "minAll", "sumDim",
            "meanDim", "maxDim", "minDim", "varDim", "varAll", "logSumExp", "softmax", "logSoftmax", "gatherArg",
            "matmul", "transpose", "t", "permute", "slice", "narrow", "select", "expand", "reshape", "flatten",
            "squeeze", "unsqueeze", "contiguous", "clone", "detach", "indexSelect", "gather", "cat", "stack", "where",
            "crossEntropy", "linear", "biasActivation");

    /** The seed of graph i in a run: a SplitMix64 finaliser, so neighbouring graphs are unrelated. */
    static long graphSeed(long base, int i) {
        long z = base + 0x9E3779B97F4A7C15L * (i + 1L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static Long replaySeed() {
        String s = System.getProperty("jgrad.fuzz.seed");
        if (s == null || s.isBlank()) return null;
        s = s.trim();
        return s.startsWith("0x") || s.startsWith("0X") ? Long.parseUnsignedLong(s.substring(2), 16) : Long.parseLong(s);
    }

    private String replayHint(long seed) {
        return String.format(Locale.ROOT, "Replay exactly this graph with -Djgrad.fuzz.seed=0x%016x, e.g. mvn -o -pl engine-cpu -am "
                        + "test -Dtest=%s -Dsurefire.failIfNoSpecifiedTests=false -Djgrad.fuzz.seed=0x%016x",
                seed, getClass().getSimpleName(), seed);
    }

    /** Counters of one run, printed at the end. */
    private static final class Stats {
        int graphs;
        int steps;
        int inputs;
        int stridedInputs;
        int comparedElements;
        double worstRatio;
        String worstWhere = "";
        final Map<String, Integer> ops = new TreeMap<>();

        void count(FuzzGraph g) {
            graphs++;
            for (Step s : g.steps) {
                if (s.input() != null) {
                    inputs++;
                    if (s.input().layout() != FuzzGraph.Layout.CONTIGUOUS) stridedInputs++;
                } else {
                    steps++;
                    ops.merge(s.opName(), 1, Integer::sum);
                }
            }
        }
    }

    // ---------------------------------------------------------------- differential test

    @Test
    void randomGraphsMatchTheFloat64CpuReference() {
        Long replay = replaySeed();
        int n = replay != null ? 1 : Integer.getInteger("jgrad.fuzz.graphs", DEFAULT_GRAPHS);
        Stats stats = new Stats();
        List<String> failures = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < n && failures.size() < MAX_REPORTED_FAILURES; i++) {
            long seed = replay != null ? replay : graphSeed(DIFFERENTIAL_BASE, i);
            String failure = differential(seed, stats, replay != null);
            if (failure != null) failures.add("graph #" + i + " of the run: " + failure);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "%s on %s: %d random graphs (%d ops, %d inputs of which %d strided views) run forward and "
                        + "backward in float32 against float64 on the CPU: %d elements compared, %d mismatching graphs, worst "
                        + "error %.3g of its tolerance (%s), %.1f s%n  ops used: %s%n",
                getClass().getSimpleName(), device(), stats.graphs, stats.steps, stats.inputs, stats.stridedInputs,
                stats.comparedElements, failures.size(), stats.worstRatio, stats.worstWhere, seconds, stats.ops);
        if (!failures.isEmpty()) fail(failures.size() + " fuzz graph(s) disagree with the float64 CPU reference:\n\n"
                + String.join("\n\n", failures));
        if (replay == null && n >= DEFAULT_GRAPHS) {
            Set<String> missing = new TreeSet<>(OP_NAMES);
            missing.removeAll(stats.ops.keySet());
            assertTrue(missing.isEmpty(), "the generator never produced " + missing + " in " + n + " graphs: the op mix regressed");
        }
    }

    /** Runs one graph on the device and on the reference; returns a failure report, or null when they agree. */
    private String differential(long seed, Stats stats, boolean verbose) {
        FuzzGraph g;
        try {
            g = FuzzGraphGenerator.generate(seed);
        } catch (RuntimeException e) {
            return String.format(Locale.ROOT, "seed 0x%016x: %s%n%s", seed, e.getMessage(), replayHint(seed));
        }
        stats.count(g);
        if (verbose) System.out.println(g);
        Outcome dev;
        try {
            dev = g.run(new Env(DType.FLOAT32, device(), null, 0));
        } catch (RuntimeException e) {
            return report(g, "the float32 run on " + device() + " threw " + stackTop(e));
        }
        Outcome ref = g.run(new Env(DType.FLOAT64, Device.CPU, null, 0, true));
        // Two perturbed runs: one set of random signs can cancel by chance where float32 rounding does not.
        Outcome moved = g.run(new Env(DType.FLOAT64, Device.CPU, null, seed * 31 + 17 | 1));
        Outcome moved2 = g.run(new Env(DType.FLOAT64, Device.CPU, null, seed * 37 + 5 | 1));
        List<String> problems = new ArrayList<>();
        for (int k = 0; k < g.outputs.length; k++) {
            String what = "output v" + g.outputs[k];
            if (dev.outputDtypes()[k] != DType.FLOAT32) {
                problems.add(what + " has dtype " + dev.outputDtypes()[k] + ", expected float32");
            }
            compare(seed, what, dev.outputShapes()[k], dev.outputs()[k], ref.outputShapes()[k], ref.outputs()[k],
                    moved.outputs()[k], moved2.outputs()[k], ref.valueScale(), stats, problems);
        }
        if (g.hasLoss()) {
            compare(seed, "loss", new int[0], new double[]{dev.loss()}, new int[0], new double[]{ref.loss()},
                    new double[]{moved.loss()}, new double[]{moved2.loss()},
                    ref.valueScale(), stats, problems);
        }
        double gradScale = ref.gradScale();
        for (int k = 0; k < ref.grads().length; k++) {
            String what = "gradient of input v" + g.inputStep(k);
            if ((ref.grads()[k] == null) != (dev.grads()[k] == null)) {
                problems.add(what + " is " + (dev.grads()[k] == null ? "null" : "present") + " on " + device()
                        + " but " + (ref.grads()[k] == null ? "null" : "present") + " in the reference");
            } else if (ref.grads()[k] != null) {
                compare(seed, what, dev.gradShapes()[k], dev.grads()[k], ref.gradShapes()[k], ref.grads()[k],
                        moved.grads()[k], moved2.grads()[k], gradScale, stats, problems);
            }
        }
        if (verbose) {
            System.out.println(problems.isEmpty() ? "  agrees with the reference" : "  " + String.join("\n  ", problems));
        }
        return problems.isEmpty() ? null : report(g, String.join("\n", problems));
    }

    private String report(FuzzGraph g, String problem) {
        return String.format(Locale.ROOT, "seed 0x%016x on %s:%n%s%n%s%n%s", g.seed, device(), problem, g, replayHint(g.seed));
    }

    private static String stackTop(Throwable e) {
        StackTraceElement[] st = e.getStackTrace();
        return e + (st.length > 0 ? " at " + st[0] : "");
    }

    /** Compares one tensor elementwise under the suite's tolerance (see the class comment), recording problems. */
    private static void compare(long seed, String what, int[] shape, double[] actual, int[] refShape, double[] expected,
                                double[] moved, double[] moved2, double graphScale, Stats stats, List<String> problems) {
        if (!Arrays.equals(shape, refShape)) {
            problems.add(what + " has shape " + Arrays.toString(shape) + ", reference " + Arrays.toString(refShape));
            return;
        }
        double scale = FuzzGraph.maxAbs(expected);
        for (int i = 0; i < expected.length; i++) {
            double e = expected[i], a = actual[i];
            double sensitivity = Math.max(Math.abs(moved[i] - e), Math.abs(moved2[i] - e));
            double tol = RTOL * Math.abs(e) + TENSOR_ATOL * scale + GRAPH_ATOL * graphScale + SENSITIVITY * sensitivity;
            double err = Math.abs(a - e);
            stats.comparedElements++;
            if (!(err <= tol)) {
                problems.add(String.format(Locale.ROOT,
                        "%s %s element %d %s: got %.9g, float64 reference %.9g (error %.3g, tolerance %.3g)", what,
                        Arrays.toString(shape), i, Arrays.toString(FuzzGraph.unravel(i, shape)), a, e, err, tol));
                return;
            }
            if (tol > 0 && err / tol > stats.worstRatio) {
                stats.worstRatio = err / tol;
                stats.worstWhere = String.format(Locale.ROOT, "%s, graph 0x%016x", what, seed);
            }
        }
    }

    // ---------------------------------------------------------------- central differences

    @Test
    void smallRandomGraphsPassGradCheckInFloat64() {
        Long replay = replaySeed();
        int n = replay != null ? 1 : Integer.getInteger("jgrad.fuzz.gradcheckGraphs", DEFAULT_GRADCHECK_GRAPHS);
        int checked = 0;
        int elements = 0;
        List<String> failures = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < n && failures.size() < MAX_REPORTED_FAILURES; i++) {
            long seed = replay != null ? replay : graphSeed(GRADCHECK_BASE, i);
            FuzzGraph g;
            try {
                g = FuzzGraphGenerator.generate(seed);
            } catch (RuntimeException e) {
                failures.add(String.format(Locale.ROOT, "seed 0x%016x: %s%n%s", seed, e.getMessage(), replayHint(seed)));
                continue;
            }
            int size = 0;
            for (Input in : g.inputs()) if (in.requiresGrad()) size += in.data().length;
            // detach() is a constant to backward but not to finite differences, so such graphs cannot be checked
            boolean detaches = g.steps.stream().anyMatch(s -> s.opName().equals("detach"));
            if (!g.hasLoss() || detaches || (replay == null && size > GRADCHECK_MAX_ELEMENTS)) continue;
            GradCheck.Result r = gradCheck(g);
            checked++;
            elements += size;
            if (!r.passed()) failures.add(report(g, r.message()));
            else if (replay != null) System.out.println(g + "\n  passes GradCheck");
        }
        System.out.printf(Locale.ROOT, "%s on %s: %d random graphs (%d input elements) checked against float64 central differences, "
                + "%d failed, %.1f s%n", getClass().getSimpleName(), device(), checked, elements, failures.size(),
                (System.nanoTime() - start) / 1e9);
        if (!failures.isEmpty()) fail(String.join("\n\n", failures));
        if (replay == null) assertTrue(checked >= n / 3, "only " + checked + " of " + n + " graphs were small enough for GradCheck");
    }

    /** GradCheck of the graph's loss on the device in float64, the inputs contiguous copies of the graph's data. */
    private GradCheck.Result gradCheck(FuzzGraph g) {
        try (Scope ignored = Scope.open()) {
            Tensor[] inputs = new Tensor[g.inputCount()];
            try (Grad.Mode noGrad = Grad.disabled()) {
                for (int k = 0; k < inputs.length; k++) {
                    Input in = g.inputs().get(k);
                    Tensor t = Tensor.of(in.data().clone()).reshape(in.shape());
                    inputs[k] = t.device().equals(device()) ? t : t.to(device());
                }
            }
            for (int k = 0; k < inputs.length; k++) inputs[k].requiresGrad(g.inputs().get(k).requiresGrad());
            return GradCheck.check(xs -> {
                Env env = new Env(DType.FLOAT64, device(), xs, 0);
                return g.loss(env, g.forward(env));
            }, inputs);
        } catch (RuntimeException e) {
            return new GradCheck.Result(false, "GradCheck threw " + stackTop(e));
        }
    }
}
