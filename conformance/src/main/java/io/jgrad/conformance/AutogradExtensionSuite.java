package io.jgrad.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgrad.CustomFunction;
import io.jgrad.DType;
import io.jgrad.Generator;
import io.jgrad.Grad;
import io.jgrad.HookHandle;
import io.jgrad.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Autograd extensions: user-defined functions with their own forward and backward (checked against GradCheck and
 * the built-in ops), gradient hooks on leaves and intermediate tensors, retainGrad, post-accumulate hooks, and their
 * behaviour over kept graphs and bad input. Expected values are worked out by hand in the comments; the hook and
 * retainGrad cases were also run in PyTorch 2.13, which gives the same numbers (and the same call order).
 */
public abstract class AutogradExtensionSuite extends TensorBaseSuite {

    private static Tensor leaf(double... v) {
        return Tensor.of(v).requiresGrad(true);
    }

    private static Tensor randomLeaf(long seed, int... shape) {
        return Tensor.randn(new Generator(seed), shape).to(DType.FLOAT64).requiresGrad(true);
    }

    // ================================================================== custom functions

    /** exp with its own backward: dy/dx = y, read from the saved output. */
    static final class ExpFn extends CustomFunction {
        boolean gradModeInForward = true;
        boolean forwardOpsRecorded = true;

        @Override
        protected Tensor[] forward(Context ctx, Tensor... in) {
            gradModeInForward = Grad.isEnabled();
            Tensor y = in[0].exp();
            forwardOpsRecorded = y.requiresGrad();
            ctx.saveForBackward(y);
            return new Tensor[]{y};
        }

        @Override
        protected Tensor[] backward(Context ctx, Tensor... gradOut) {
            return new Tensor[]{gradOut[0].mul(ctx.saved(0))};
        }
    }

    @Test
    void customExpMatchesTheBuiltInAndGradCheck() {
        double[] v = {-1.5, -0.25, 0, 0.5, 2};
        for (DType dtype : new DType[]{DType.FLOAT32, DType.FLOAT64}) {
            Tensor a = Tensor.of(v).to(dtype).requiresGrad(true);
            Tensor b = Tensor.of(v).to(dtype).requiresGrad(true);
            ExpFn fn = new ExpFn();
            Tensor mine = fn.apply(a);
            Tensor builtIn = b.exp();
            assertFalse(fn.gradModeInForward, "forward runs with grad mode off");
            assertFalse(fn.forwardOpsRecorded, "ops inside forward record nothing");
            assertEquals("ExpFnBackward", mine.gradFnName());
            assertTrue(mine.requiresGrad() && !mine.isLeaf());
            assertEquals(dtype, mine.dtype());
            assertExactly(builtIn.toDoubleArray(), mine, dtype + " forward");
            Tensor w = Tensor.of(new double[]{1, -2, 3, 0.5, -1}).to(dtype);
            mine.mul(w).sum().backward();
            builtIn.mul(w).sum().backward();
            assertExactly(b.grad().toDoubleArray(), a.grad(), dtype + " gradient equals exp's");
        }
        gradcheck(in -> new ExpFn().apply(in[0]), randomLeaf(1, 3, 4));
    }

    /** Polar to Cartesian: (r, theta) -> (r cos theta, r sin theta); two inputs, two outputs. */
    static final class PolarFn extends CustomFunction {
        final List<Tensor[]> gradsSeen = new ArrayList<>();

        @Override
        protected Tensor[] forward(Context ctx, Tensor... in) {
            Tensor r = in[0], theta = in[1];
            Tensor c = theta.cos(), s = theta.sin();
            ctx.saveForBackward(r, c, s);
            return new Tensor[]{r.mul(c), r.mul(s)};
        }

        @Override
        protected Tensor[] backward(Context ctx, Tensor... g) {
            gradsSeen.add(g.clone());
            Tensor r = ctx.saved(0), c = ctx.saved(1), s = ctx.saved(2);
            // dx = cos dr - r sin dtheta, dy = sin dr + r cos dtheta
            Tensor dr = ctx.needsInputGrad(0) ? g[0].mul(c).add(g[1].mul(s)) : null;
            Tensor dtheta = ctx.needsInputGrad(1) ? g[1].mul(c).sub(g[0].mul(s)).mul(r) : null;
            return new Tensor[]{dr, dtheta};
        }
    }

    @Test
    void twoOutputFunctionPassesGradCheckOnBothOutputs() {
        Tensor r = randomLeaf(2, 2, 3), theta = randomLeaf(3, 2, 3);
        PolarFn fn = new PolarFn();
        Tensor[] xy = fn.applyAll(r, theta);
        assertEquals(2, xy.length);
        assertEquals(xy[0].gradFnName(), xy[1].gradFnName());
        assertEquals("PolarFnBackward", xy[1].gradFnName());
        // both outputs concatenated, so GradCheck's one-hot directions test every element of each
        gradcheck(in -> {
            Tensor[] o = new PolarFn().applyAll(in[0], in[1]);
            return Tensor.cat(List.of(o[0].flatten(), o[1].flatten()), 0);
        }, r, theta);
    }

    @Test
    void anOutputThatGetsNoGradientReceivesZerosOrNull() {
        // r = 2, theta = 0.5: using only y = r sin theta gives dr = sin 0.5, dtheta = r cos 0.5; backward sees zeros for x
        Tensor r = leaf(2), theta = leaf(0.5);
        PolarFn fn = new PolarFn();
        Tensor[] xy = fn.applyAll(r, theta);
        xy[1].sum().backward();
        assertClose(new double[]{Math.sin(0.5)}, r.grad(), 1e-15, 0, "dr");
        assertClose(new double[]{2 * Math.cos(0.5)}, theta.grad(), 1e-15, 0, "dtheta");
        assertExactly(new double[]{0}, fn.gradsSeen.get(0)[0], "the unused output's gradient is materialised as zeros");

        List<Tensor> seen = new ArrayList<>();
        CustomFunction lazy = new CustomFunction() {
            @Override
            protected Tensor[] forward(Context ctx, Tensor... in) {
                ctx.setMaterializeGrads(false);
                return new Tensor[]{in[0].mul(2), in[0].mul(3)};
            }

            @Override
            protected Tensor[] backward(Context ctx, Tensor... g) {
                seen.add(g[0]);
                return new Tensor[]{g[1].mul(3)};
            }
        };
        Tensor x = leaf(1, 2);
        lazy.applyAll(x)[1].sum().backward();
        assertNull(seen.get(0), "setMaterializeGrads(false) passes null for an output without a gradient");
        assertExactly(new double[]{3, 3}, x.grad(), "d(3x)/dx");
    }

    /** y = scale * x^p: two non-tensor arguments as fields, and a value put into the context by forward. */
    static final class ScaledPowFn extends CustomFunction {
        private final double p;
        private final double scale;

        ScaledPowFn(double p, double scale) {
            this.p = p;
            this.scale = scale;
        }

        @Override
        public String name() {
            return "ScaledPow";
        }

        @Override
        protected Tensor[] forward(Context ctx, Tensor... in) {
            ctx.saveForBackward(in[0]);
            ctx.put("factor", scale * p);
            return new Tensor[]{in[0].pow(p).mul(scale)};
        }

        @Override
        protected Tensor[] backward(Context ctx, Tensor... g) {
            double factor = ctx.get("factor");
            return new Tensor[]{g[0].mul(ctx.saved(0).pow(p - 1)).mul(factor)};
        }
    }

    @Test
    void nonTensorArgumentsAreFieldsOfTheFunction() {
        Tensor x = leaf(1, 2, 3);
        Tensor y = new ScaledPowFn(3, 0.5).apply(x);
        assertEquals("ScaledPowBackward", y.gradFnName(), "name() names the node");
        assertExactly(new double[]{0.5, 4, 13.5}, y, "0.5 x^3");
        y.sum().backward();
        assertExactly(new double[]{1.5, 6, 13.5}, x.grad(), "1.5 x^2");
        Tensor pos = Tensor.rand(new Generator(4), 3, 2).to(DType.FLOAT64).add(0.5).requiresGrad(true);
        for (double p : new double[]{0.5, 2, 3.5}) {
            gradcheck(in -> new ScaledPowFn(p, -1.25).apply(in[0]), pos);
        }
    }

    /** x * mask, with a bool mask input that takes no gradient: needsInputGrad tells them apart. */
    static final class MaskFn extends CustomFunction {
        final List<Boolean> needs = new ArrayList<>();

        @Override
        protected Tensor[] forward(Context ctx, Tensor... in) {
            needs.add(ctx.needsInputGrad(0));
            needs.add(ctx.needsInputGrad(1));
            Tensor m = in[1].to(in[0].dtype());
            ctx.saveForBackward(m);
            return new Tensor[]{in[0].mul(m)};
        }

        @Override
        protected Tensor[] backward(Context ctx, Tensor... g) {
            needs.add(ctx.needsInputGrad(0));
            needs.add(ctx.needsInputGrad(1));
            // also returns a (dropped) gradient for the mask, which needs none
            return new Tensor[]{g[0].mul(ctx.saved(0)), g[0]};
        }
    }

    @Test
    void inputsThatNeedNoGradientAreSkipped() {
        Tensor x = leaf(1, 2, 3);
        Tensor mask = Tensor.of(new boolean[]{true, false, true});
        MaskFn fn = new MaskFn();
        Tensor y = fn.apply(x, mask);
        y.mul(Tensor.of(new double[]{2, 3, 4})).sum().backward();
        assertExactly(new double[]{2, 0, 4}, x.grad(), "g * mask");
        assertEquals(List.of(true, false, true, false), fn.needs, "needsInputGrad in forward and in backward");
        gradcheck(in -> new MaskFn().apply(in[0], mask), randomLeaf(5, 3));

        // a float input without requiresGrad: needsInputGrad is false, and nothing reaches it
        Tensor w = Tensor.of(new double[]{1, 1, 1});
        Tensor z = new PolarFn().applyAll(w, x)[0];
        z.sum().backward(); // x.grad += d(w cos x)/dx = -w sin x
        assertClose(new double[]{2 - Math.sin(1), -Math.sin(2), 4 - Math.sin(3)}, x.grad(), 1e-15, 0, "x after the second pass");
        assertNull(w.grad());
    }

    @Test
    void noGraphWithoutGradModeOrWithoutInputsThatRequireGrad() {
        Tensor x = leaf(1, 2);
        try (Grad.Mode ignored = Grad.disabled()) {
            Tensor y = new ExpFn().apply(x);
            assertFalse(y.requiresGrad(), "no graph inside Grad.disabled()");
            assertTrue(y.isLeaf());
        }
        Tensor y = new ExpFn().apply(Tensor.of(new double[]{1, 2}));
        assertFalse(y.requiresGrad(), "no input requires grad");
        assertClose(new double[]{Math.E, Math.exp(2)}, y, 1e-15, 1e-15, "values all the same");
    }

    /** Returns its input unchanged, its argmax (int64) and a marked float copy: one differentiable output. */
    static final class IdentityAndIndexFn extends CustomFunction {
        final List<Tensor[]> gradsSeen = new ArrayList<>();

        @Override
        protected Tensor[] forward(Context ctx, Tensor... in) {
            Tensor copy = in[0].mul(1);
            ctx.markNonDifferentiable(copy);
            return new Tensor[]{in[0], in[0].argmax(), copy};
        }

        @Override
        protected Tensor[] backward(Context ctx, Tensor... g) {
            gradsSeen.add(g.clone());
            return new Tensor[]{g[0]};
        }
    }

    @Test
    void nonDifferentiableOutputsAndOutputsThatAreInputs() {
        Tensor x = leaf(3, 1, 2);
        IdentityAndIndexFn fn = new IdentityAndIndexFn();
        Tensor[] out = fn.applyAll(x);
        assertNotSame(x, out[0], "an input returned by forward comes back as a new tensor over its memory");
        assertTrue(x.isLeaf(), "the input keeps its place in the graph");
        assertEquals("IdentityAndIndexFnBackward", out[0].gradFnName());
        assertEquals(DType.INT64, out[1].dtype());
        assertFalse(out[1].requiresGrad(), "integer outputs are not differentiable");
        assertFalse(out[2].requiresGrad(), "markNonDifferentiable");
        assertArrayEquals(new long[]{0}, out[1].toLongArray());
        out[0].mul(Tensor.of(new double[]{1, 2, 3})).sum().add(out[2].sum()).backward();
        assertExactly(new double[]{1, 2, 3}, x.grad(), "only output 0 carries a gradient");
        Tensor[] g = fn.gradsSeen.get(0);
        assertExactly(new double[]{0}, g[1], "zeros for the index output");
        assertExactly(new double[]{0, 0, 0}, g[2], "zeros for the marked output");

        CustomFunction marksAStranger = new CustomFunction() {
            @Override
            protected Tensor[] forward(Context ctx, Tensor... in) {
                ctx.markNonDifferentiable(in[0]);
                return new Tensor[]{in[0].mul(2)};
            }

            @Override
            protected Tensor[] backward(Context ctx, Tensor... g) {
                return g;
            }
        };
        assertFailsMentioning(IllegalStateException.class, () -> marksAStranger.apply(x), "CustomFunction", "markNonDifferentiable", "[3]");
    }

    @Test
    void keptGraphsRunAgainAndReleasedOnesFailNamingTheFunction() {
        Tensor x = leaf(0, 1);
        Tensor y = new ExpFn().apply(x).sum();
        y.backward(Tensor.onesLike(y), true);
        y.backward(Tensor.onesLike(y), true);
        assertClose(new double[]{2, 2 * Math.E}, x.grad(), 1e-15, 1e-15, "two passes over a kept graph accumulate");
        y.backward();
        assertClose(new double[]{3, 3 * Math.E}, x.grad(), 1e-15, 1e-15, "third pass releases");
        assertFailsMentioning(IllegalStateException.class, y::backward, "ExpFnBackward", "second time");

        Tensor z = leaf(1, 2);
        Tensor saved = z.detach();
        Tensor w = new ScaledPowFn(2, 1).apply(z);
        try (Grad.Mode ignored = Grad.disabled()) {
            saved.mulInPlace(3); // the input saved for backward changes
        }
        assertFailsMentioning(IllegalStateException.class, () -> w.sum().backward(), "ScaledPowBackward", "in-place");
    }

    /** A function whose backward returns what the test asks for: for the error cases. */
    static final class BadBackwardFn extends CustomFunction {
        private final java.util.function.Function<Tensor, Tensor[]> grads;

        BadBackwardFn(java.util.function.Function<Tensor, Tensor[]> grads) {
            this.grads = grads;
        }

        @Override
        protected Tensor[] forward(Context ctx, Tensor... in) {
            return new Tensor[]{in[0].mul(2)};
        }

        @Override
        protected Tensor[] backward(Context ctx, Tensor... g) {
            return grads.apply(g[0]);
        }
    }

    @Test
    void badBackwardResultsNameTheFunctionAndTheShapes() {
        Tensor x = leaf(1, 2, 3);
        assertFailsMentioning(IllegalStateException.class,
                () -> new BadBackwardFn(g -> new Tensor[]{g, g}).apply(x).sum().backward(),
                "BadBackwardFnBackward", "returned 2 gradient(s)", "took 1 input(s)");
        assertFailsMentioning(IllegalStateException.class,
                () -> new BadBackwardFn(g -> null).apply(x).sum().backward(), "BadBackwardFnBackward", "null");
        assertFailsMentioning(IllegalStateException.class,
                () -> new BadBackwardFn(g -> new Tensor[]{Tensor.ones(DType.FLOAT64, 2)}).apply(x).sum().backward(),
                "BadBackwardFnBackward", "shape [2]", "input 0 of shape [3]");
        assertFailsMentioning(IllegalStateException.class,
                () -> new BadBackwardFn(g -> new Tensor[]{Tensor.ones(DType.INT64, 3)}).apply(x).sum().backward(),
                "BadBackwardFnBackward", "int64", "float64");
        assertNull(x.grad(), "failed passes leave no gradient behind");

        // a gradient of a broadcast shape sums back to the input's; another floating dtype converts to the input's
        new BadBackwardFn(g -> new Tensor[]{Tensor.ones(DType.FLOAT32, 2, 3)}).apply(x).sum().backward();
        assertEquals(DType.FLOAT64, x.grad().dtype());
        assertExactly(new double[]{2, 2, 2}, x.grad(), "[2, 3] of ones summed to [3]");

        CustomFunction returnsNothing = new CustomFunction() {
            @Override
            protected Tensor[] forward(Context ctx, Tensor... in) {
                return new Tensor[0];
            }

            @Override
            protected Tensor[] backward(Context ctx, Tensor... g) {
                return g;
            }
        };
        assertFailsMentioning(IllegalStateException.class, () -> returnsNothing.apply(x), "CustomFunction.forward", "no outputs");
        assertFailsMentioning(IllegalStateException.class, () -> new PolarFn().apply(x, x), "PolarFn", "2 outputs", "applyAll");
    }

    @Test
    void nullInputsAreOptionalTensors() {
        // y = x * w, or x where w is null
        CustomFunction maybeScale = new CustomFunction() {
            @Override
            protected Tensor[] forward(Context ctx, Tensor... in) {
                ctx.saveForBackward(in[1] == null ? in[0].mul(0).add(1) : in[1]);
                return new Tensor[]{in[1] == null ? in[0].mul(1) : in[0].mul(in[1])};
            }

            @Override
            protected Tensor[] backward(Context ctx, Tensor... g) {
                return new Tensor[]{g[0].mul(ctx.saved(0)), null};
            }
        };
        Tensor x = leaf(1, 2);
        maybeScale.apply(x, null).sum().backward();
        assertExactly(new double[]{1, 1}, x.grad(), "no scale");
        x.setGrad(null);
        maybeScale.apply(x, Tensor.of(new double[]{3, 4})).sum().backward();
        assertExactly(new double[]{3, 4}, x.grad(), "scaled");
    }

    @Test
    void anomalyDetectionNamesTheFunctionAndWhereItWasApplied() {
        CustomFunction sqrtFn = new CustomFunction() {
            @Override
            public String name() {
                return "SqrtFn";
            }

            @Override
            protected Tensor[] forward(Context ctx, Tensor... in) {
                Tensor y = in[0].sqrt();
                ctx.saveForBackward(y);
                return new Tensor[]{y};
            }

            @Override
            protected Tensor[] backward(Context ctx, Tensor... g) {
                return new Tensor[]{g[0].div(ctx.saved(0).mul(2))}; // 1 / (2 sqrt x): infinite at 0
            }
        };
        Tensor x = leaf(0, 4);
        try (Grad.Mode ignored = Grad.detectAnomaly()) {
            Tensor y = sqrtFn.apply(x).sum();
            assertFailsMentioning(ArithmeticException.class, y::backward, "SqrtFnBackward", "Infinity", "input 0",
                    "AutogradExtensionSuite");
        }
        sqrtFn.apply(x).sum().backward();
        assertExactly(new double[]{Double.POSITIVE_INFINITY, 0.25}, x.grad(), "without anomaly mode the infinity goes through");
    }

    // ================================================================== tensor hooks

    @Test
    void hookOnAnIntermediateTensorReplacesItsGradient() {
        // x = [1, 2], y = x * x, loss = sum(3 y): dL/dy = 3, doubled by the hook to 6, so dL/dx = 6 * 2x = [12, 24]
        Tensor x = leaf(1, 2);
        Tensor y = x.mul(x);
        List<double[]> seen = new ArrayList<>();
        y.registerHook(g -> {
            seen.add(g.toDoubleArray());
            return g.mul(2);
        });
        y.mul(3).sum().backward();
        assertArrayEquals(new double[]{3, 3}, seen.get(0), "the hook sees dL/dy");
        assertExactly(new double[]{12, 24}, x.grad(), "x's gradient through the replaced one");
        assertNull(y.grad(), "an intermediate keeps no gradient without retainGrad");
    }

    @Test
    void hookOnALeafSeesTheSummedGradientOnceBeforeAccumulation() {
        // loss = sum(x*x + x): the leaf's gradient is 2x + 1 = [3, 5, 7] from two nodes; the hook multiplies it by 10
        Tensor x = leaf(1, 2, 3);
        List<double[]> seen = new ArrayList<>();
        x.registerHook(g -> {
            seen.add(g.toDoubleArray());
            return g.mul(10);
        });
        x.mul(x).add(x).sum().backward();
        assertEquals(1, seen.size(), "called once per backward, with the sum");
        assertArrayEquals(new double[]{3, 5, 7}, seen.get(0));
        assertExactly(new double[]{30, 50, 70}, x.grad(), "the replacement is accumulated");
        x.sum().backward(); // the hook runs before accumulation: 30 + 10 * 1
        assertArrayEquals(new double[]{1, 1, 1}, seen.get(1), "the hook sees this pass's gradient, not .grad");
        assertExactly(new double[]{40, 60, 80}, x.grad(), "accumulated after the hook");

        // the root itself a leaf
        Tensor r = leaf(5, 6);
        r.registerHook(g -> g.mul(-1));
        r.backward(Tensor.of(new double[]{1, 2}));
        assertExactly(new double[]{-1, -2}, r.grad(), "backward of a hooked leaf");
    }

    @Test
    void hooksRunInRegistrationOrderAndRetainGradSeesTheirResult() {
        // y = 3 a: dL/dy = [1, 1] -> +1 -> *2 = [4, 4]; a's gradient is 3 * 4 = 12
        Tensor a = leaf(1, 2);
        Tensor y = a.mul(3);
        List<String> calls = new ArrayList<>();
        y.retainGrad(); // registered first, but runs after all hooks, as in PyTorch
        y.registerHook(g -> {
            calls.add("plus one");
            return g.add(1);
        });
        y.registerHook(g -> {
            calls.add("times two");
            return g.mul(2);
        });
        y.registerHook(g -> {
            calls.add("looks");
            return null; // null keeps the gradient
        });
        y.sum().backward();
        assertEquals(List.of("plus one", "times two", "looks"), calls);
        assertExactly(new double[]{4, 4}, y.grad(), "retained after the hooks");
        assertExactly(new double[]{12, 12}, a.grad(), "3 times the hooked gradient");
    }

    @Test
    void removedHooksAreNotCalled() {
        Tensor x = leaf(1, 2);
        AtomicInteger calls = new AtomicInteger();
        HookHandle h = x.registerHook(g -> {
            calls.incrementAndGet();
            return g.mul(100);
        });
        HookHandle keep = x.registerHook(g -> g.mul(2));
        h.remove();
        h.remove(); // twice is harmless
        x.sum().backward();
        assertEquals(0, calls.get());
        assertExactly(new double[]{2, 2}, x.grad(), "only the remaining hook ran");
        keep.remove();

        Tensor y = leaf(1, 2);
        Tensor z = y.mul(y);
        try (HookHandle scoped = z.registerHook(g -> g.mul(0))) {
            z.sum().backward(Tensor.scalar(1.0), true);
        }
        assertExactly(new double[]{0, 0}, y.grad(), "hook active inside the block");
        z.sum().backward();
        assertExactly(new double[]{2, 4}, y.grad(), "gone after it");

        // a hook that removes itself while running
        Tensor w = leaf(1);
        HookHandle[] self = new HookHandle[1];
        self[0] = w.registerHook(g -> {
            self[0].remove();
            return g.mul(5);
        });
        w.mul(2).sum().backward(Tensor.scalar(1.0), false);
        w.mul(2).sum().backward();
        assertExactly(new double[]{12}, w.grad(), "5 * 2 the first time, 2 the second");
    }

    @Test
    void retainGradOnAnIntermediateUsedSeveralTimes() {
        // x = [1, 2, 3], y = 2x, z = sum(y*y) + sum(y): dz/dy = 2y + 1 = [5, 9, 13]; dz/dx = 2 (2y + 1)
        Tensor x = leaf(1, 2, 3);
        Tensor y = x.mul(2);
        Tensor unretained = y.mul(y);
        y.retainGrad();
        y.retainGrad(); // twice is once
        assertTrue(y.retainsGrad());
        assertFalse(unretained.retainsGrad());
        assertFalse(x.retainsGrad(), "leaves keep their gradient anyway and report false, as in PyTorch");
        x.retainGrad(); // a no-op on leaves
        Tensor z = unretained.sum().add(y.sum());
        z.backward(Tensor.onesLike(z), true);
        assertExactly(new double[]{5, 9, 13}, y.grad(), "dz/dy");
        assertExactly(new double[]{10, 18, 26}, x.grad(), "dz/dx");
        assertNull(unretained.grad());
        z.backward();
        assertExactly(new double[]{10, 18, 26}, y.grad(), "a second pass accumulates, as for leaves");

        // the root and a multi-output function's second output
        Tensor r = leaf(2), theta = leaf(0);
        Tensor[] xy = new PolarFn().applyAll(r, theta);
        xy[1].retainGrad();
        xy[1].registerHook(g -> g.mul(4));
        Tensor loss = xy[0].add(xy[1].mul(3)).sum();
        loss.retainGrad();
        loss.backward();
        assertExactly(new double[]{1}, loss.grad(), "the root's own gradient");
        assertExactly(new double[]{12}, xy[1].grad(), "3, times 4 by the hook");
        assertNull(xy[0].grad());
        // dr = cos 0 * 1 + sin 0 * 12 = 1; dtheta = r (cos 0 * 12 - sin 0 * 1) = 24
        assertExactly(new double[]{1}, r.grad(), "dr");
        assertExactly(new double[]{24}, theta.grad(), "dtheta");
    }

    @Test
    void hooksRunOnEveryPassOverAKeptGraph() {
        Tensor x = leaf(1, 2);
        Tensor y = x.mul(x);
        AtomicInteger leafCalls = new AtomicInteger(), innerCalls = new AtomicInteger();
        x.registerHook(g -> {
            leafCalls.incrementAndGet();
            return null;
        });
        y.registerHook(g -> {
            innerCalls.incrementAndGet();
            return g.mul(0.5);
        });
        Tensor z = y.sum();
        z.backward(Tensor.onesLike(z), true);
        z.backward(Tensor.onesLike(z), true);
        assertEquals(2, leafCalls.get());
        assertEquals(2, innerCalls.get());
        assertExactly(new double[]{2, 4}, x.grad(), "2 * (0.5 * 2x)");
    }

    @Test
    void postAccumulateHooksSeeTheAccumulatedGradient() {
        Tensor p = leaf(1, 2);
        List<double[]> seen = new ArrayList<>();
        p.registerPostAccumulateGradHook(t -> {
            assertSame(p, t);
            seen.add(t.grad().toDoubleArray());
        });
        p.registerHook(g -> g.mul(3));
        p.mul(p).add(p).sum().backward(); // (2p + 1) * 3 = [9, 15]
        p.sum().backward();             // + 3
        assertEquals(2, seen.size(), "once per pass, though p feeds two nodes");
        assertArrayEquals(new double[]{9, 15}, seen.get(0));
        assertArrayEquals(new double[]{12, 18}, seen.get(1));

        // a step inside the hook, as an optimizer fused into backward does
        Tensor w = leaf(1, 1);
        w.registerPostAccumulateGradHook(t -> {
            try (Grad.Mode ignored = Grad.disabled()) {
                t.subInPlace(t.grad().mul(0.5));
            }
            t.setGrad(null);
        });
        w.mul(Tensor.of(new double[]{2, 4})).sum().backward();
        assertExactly(new double[]{0, -1}, w, "w - 0.5 [2, 4]");
        assertNull(w.grad());

        Tensor y = p.mul(2);
        assertFailsMentioning(IllegalStateException.class, () -> y.registerPostAccumulateGradHook(t -> { }),
                "registerPostAccumulateGradHook", "MulBackward", "leaves");
    }

    @Test
    void hookErrorsNameTheTensorAndCorruptNothing() {
        Tensor plain = Tensor.of(new double[]{1, 2});
        assertFailsMentioning(IllegalStateException.class, () -> plain.registerHook(g -> g), "registerHook", "does not require grad", "[2]");
        assertFailsMentioning(IllegalStateException.class, plain::retainGrad, "retainGrad", "does not require grad");
        assertFailsMentioning(IllegalStateException.class, () -> plain.registerPostAccumulateGradHook(t -> { }),
                "registerPostAccumulateGradHook", "does not require grad");

        Tensor x = leaf(1, 2);
        Tensor y = x.mul(3);
        HookHandle bad = y.registerHook(g -> Tensor.ones(DType.FLOAT64, 3));
        assertFailsMentioning(IllegalStateException.class, () -> y.sum().backward(Tensor.scalar(1.0), true),
                "gradient hook", "MulBackward", "[3]", "[2]");
        assertNull(x.grad());
        bad.remove();
        HookHandle badDType = x.registerHook(g -> g.to(DType.FLOAT32));
        assertFailsMentioning(IllegalStateException.class, () -> y.sum().backward(Tensor.scalar(1.0), true),
                "gradient hook on a leaf", "float32", "float64");
        assertNull(x.grad());
        badDType.remove();
        y.sum().backward();
        assertExactly(new double[]{3, 3}, x.grad(), "a clean pass after the failures");
    }

    @Test
    void hooksAndRetainGradAgreeWithGradCheckedFunctions() {
        // hooks that scale by a constant make the gradient that constant times GradCheck's verified one
        Tensor a = randomLeaf(7, 3, 2), b = randomLeaf(8, 2, 4);
        Tensor out = a.matmul(b).tanh();
        out.retainGrad();
        Tensor loss = out.mul(out).sum();
        loss.backward();
        double[] dOut = out.grad().toDoubleArray();
        double[] o = out.toDoubleArray();
        for (int i = 0; i < o.length; i++) assertEquals(2 * o[i], dOut[i], 1e-15, "d sum(out^2)/d out = 2 out");
        double[] plainGradA = a.grad().toDoubleArray();
        a.setGrad(null);
        b.setGrad(null);
        Tensor hooked = a.matmul(b);
        hooked.registerHook(g -> g.mul(-2));
        hooked.tanh().pow(2).sum().backward();
        double[] expected = plainGradA.clone();
        for (int i = 0; i < expected.length; i++) expected[i] *= -2;
        assertClose(expected, a.grad(), 1e-14, 1e-14, "the hooked pass is -2 times the plain one");
        gradcheck(in -> in[0].matmul(in[1]).tanh().pow(2).sum(), a, b);
    }
}
