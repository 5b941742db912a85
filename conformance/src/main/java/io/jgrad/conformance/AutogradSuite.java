package io.jgrad.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgrad.DType;
import io.jgrad.Functional;
import io.jgrad.Grad;
import io.jgrad.Scope;
import io.jgrad.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Autograd semantics: accumulation, graph release and keepGraph, saved tensors modified in place or freed,
 * no-grad scopes, detach, leaves, diamonds, broadcasting back to a leaf's shape, and anomaly detection.
 */
public abstract class AutogradSuite extends TensorBaseSuite {

    private static Tensor leaf(double... v) {
        return Tensor.of(v).requiresGrad(true);
    }

    @Test
    void gradientsAccumulateAcrossBackwardCalls() {
        Tensor x = leaf(1, 2, 3);
        x.mul(x).sum().backward();              // d/dx sum(x^2) = 2x
        assertExactly(new double[]{2, 4, 6}, x.grad(), "first backward");
        x.mul(3).sum().backward();              // + 3
        assertExactly(new double[]{5, 7, 9}, x.grad(), "second backward adds");
        x.setGrad(null);
        assertNull(x.grad());
        x.sum().backward();
        assertExactly(new double[]{1, 1, 1}, x.grad(), "after clearing");
    }

    /**
     * Backward hands a freshly computed gradient to its leaf without copying it; everything else a leaf's .grad might
     * share (another leaf's gradient, the incoming gradient, a saved or user tensor) must be copied. Each .grad is then
     * private: writing one changes no other tensor, and it outlives the scope that computed it.
     */
    @Test
    void leafGradientsArePrivateAndOutliveTheirScope() {
        Tensor a = leaf(1, 2), b = leaf(3, 4);
        Tensor w = Tensor.of(new double[]{1, 2, 3, 4, 5, 6}, 2, 3).requiresGrad(true);
        Tensor x = Tensor.of(new double[]{1, 0, 2, 1}, 2, 2);
        Tensor passThrough = leaf(5, 6);
        Tensor c = leaf(1, 1), bias = leaf(2, 0.5);
        try (Scope scope = Scope.open()) {
            Tensor viaAdd = a.add(b).sum();                  // AddBackward gives a and b the same tensor
            Tensor viaMatmul = x.matmul(w).sum();             // w's gradient is a fresh matmul result
            Tensor viaReshape = passThrough.reshape(2, 1).sum(); // a view of the incoming gradient
            // one fresh tensor returned for both inputs (x and bias of the same shape need no reduction)
            Tensor viaBias = Functional.biasActivation(c, bias, Functional.Activation.RELU).mul(Tensor.of(new double[]{2, 3})).sum();
            viaAdd.add(viaMatmul).add(viaReshape).add(viaBias).backward();
        }
        assertExactly(new double[]{2, 3}, c.grad(), "c");
        assertExactly(new double[]{2, 3}, bias.grad(), "bias");
        try (Grad.Mode ignored = Grad.disabled()) {
            c.grad().mulInPlace(10);
        }
        assertExactly(new double[]{2, 3}, bias.grad(), "bias unchanged by a write to c's gradient");
        assertExactly(new double[]{1, 1}, a.grad(), "a");
        assertExactly(new double[]{1, 1}, b.grad(), "b");
        assertExactly(new double[]{3, 3, 3, 1, 1, 1}, w.grad(), "w after its scope closed");
        assertExactly(new double[]{1, 1}, passThrough.grad(), "passThrough");
        try (Grad.Mode ignored = Grad.disabled()) {
            a.grad().addInPlace(Tensor.of(new double[]{10, 10}));
            w.grad().mulInPlace(2);
        }
        assertExactly(new double[]{11, 11}, a.grad(), "a written");
        assertExactly(new double[]{1, 1}, b.grad(), "b unchanged by a write to a's gradient");
        assertExactly(new double[]{1, 0, 2, 1}, x, "x unchanged");
        x.matmul(w).sum().backward();                         // accumulates into the owned gradient
        assertExactly(new double[]{9, 9, 9, 3, 3, 3}, w.grad(), "w accumulates on top of what was written");
    }

    @Test
    void secondBackwardThroughReleasedGraphFailsUnlessKept() {
        Tensor x = leaf(1, 2);
        Tensor y = x.exp().sum();
        y.backward();
        assertFailsMentioning(IllegalStateException.class, y::backward, "ExpBackward", "second time", "backward(gradient, true)");

        Tensor z = x.mul(x).sum();
        x.setGrad(null);
        z.backward(Tensor.onesLike(z), true);
        z.backward(Tensor.onesLike(z), true);
        assertExactly(new double[]{4, 8}, x.grad(), "two passes over a kept graph accumulate");
        z.backward();                            // the last pass may release it
        assertExactly(new double[]{6, 12}, x.grad(), "third pass");
        assertFailsMentioning(IllegalStateException.class, z::backward, "MulBackward");
    }

    @Test
    void savedTensorModifiedInPlaceMakesBackwardFailNamingTheOp() {
        Tensor x = leaf(1, 2);
        Tensor w = Tensor.of(new double[]{3, 4});
        Tensor y = x.mul(w).sum();
        try (Grad.Mode ignored = Grad.disabled()) {
            w.addInPlace(Tensor.of(new double[]{1, 1}));
        }
        assertFailsMentioning(IllegalStateException.class, y::backward, "MulBackward", "in-place", "[2]");
        // A modified output saved by exp: the same.
        Tensor e = x.exp();
        Tensor s = e.sum();
        e.detach().mulInPlace(2); // a detached view shares the version counter
        assertFailsMentioning(IllegalStateException.class, s::backward, "ExpBackward", "in-place");
        // An op that saved nothing is unaffected by later writes.
        Tensor a = Tensor.of(new double[]{1, 2});
        Tensor sum = x.add(a).sum();
        a.fill(9);
        x.setGrad(null);
        sum.backward();
        assertExactly(new double[]{1, 1}, x.grad(), "add saves nothing");
    }

    @Test
    void failedBackwardLeavesNoStaleGradientBehind() {
        Tensor x = leaf(1, 2);
        Tensor w = Tensor.of(new double[]{3, 4});
        Tensor shared = x.mul(2);
        Tensor bad = shared.add(x.mul(w)).sum();
        try (Grad.Mode ignored = Grad.disabled()) {
            w.fill(0);
        }
        assertFailsMentioning(IllegalStateException.class, () -> bad.backward(Tensor.scalar(1.0), true), "MulBackward");
        x.setGrad(null);
        shared.sum().backward();
        assertExactly(new double[]{2, 2}, x.grad(), "no gradient parked by the failed pass leaks in");
    }

    @Test
    void tensorsFreedByAScopeBeforeBackwardFailClearly() {
        Tensor x = leaf(1, 2);
        Tensor loss;
        try (Scope scope = Scope.open()) {
            Tensor h = x.exp();
            loss = scope.keep(h.sum());
        }
        // exp's saved output was freed with the scope.
        assertFailsMentioning(IllegalStateException.class, loss::backward, "ExpBackward", "freed");
        Tensor closed;
        try (Scope ignored = Scope.open()) {
            closed = x.mul(x).sum();
        }
        assertFailsMentioning(IllegalStateException.class, closed::backward, "closed");
    }

    @Test
    void noGradScopeRecordsNothing() {
        Tensor x = leaf(1, 2);
        Tensor y;
        try (Grad.Mode ignored = Grad.disabled()) {
            assertFalse(Grad.isEnabled());
            y = x.mul(x).exp().sum();
            assertFalse(y.requiresGrad());
            assertNull(y.gradFnName());
            try (Grad.Mode nested = Grad.disabled()) {
                assertFalse(Grad.isEnabled());
            }
            assertFalse(Grad.isEnabled(), "nested scopes restore the outer setting");
        }
        assertTrue(Grad.isEnabled());
        assertTrue(y.isLeaf());
        assertFailsMentioning(IllegalStateException.class, y::backward, "does not require grad");
        assertEquals(Math.exp(1) + Math.exp(4), y.item(), 1e-12);
    }

    @Test
    void detachCutsTheGraphButSharesData() {
        Tensor x = leaf(1, 2);
        Tensor d = x.mul(3).detach();
        assertFalse(d.requiresGrad());
        assertTrue(d.isLeaf());
        Tensor y = x.mul(d).sum();               // d is a constant here
        y.backward();
        assertExactly(new double[]{3, 6}, x.grad(), "d(x * const)/dx");
        Tensor view = x.detach();
        try (Grad.Mode ignored = Grad.disabled()) {
            view.addInPlace(1);
        }
        assertExactly(new double[]{2, 3}, x, "detach shares memory");
    }

    @Test
    void requiresGradOnlyForFloatingLeaves() {
        assertFailsMentioning(IllegalArgumentException.class, () -> Tensor.of(new long[]{1, 2}).requiresGrad(true), "int64");
        Tensor x = leaf(1);
        Tensor y = x.mul(2);
        assertFalse(y.isLeaf());
        assertEquals("MulBackward", y.gradFnName());
        assertFailsMentioning(IllegalStateException.class, () -> y.requiresGrad(false), "leaf");
        Tensor f = Tensor.of(new float[]{1}).requiresGrad(true);
        assertTrue(f.requiresGrad());
        assertTrue(f.isLeaf());
        assertNull(f.grad());
        assertSame(f, f.requiresGrad(false));
        assertFalse(f.requiresGrad());
    }

    private static void assertSame(Object a, Object b) {
        org.junit.jupiter.api.Assertions.assertSame(a, b);
    }

    @Test
    void diamondGraphsSumGradientsOfSharedInputs() {
        // y = x*x + exp(x) + x: x reaches y along three paths.
        Tensor x = leaf(0.5, -1);
        Tensor y = x.mul(x).add(x.exp()).add(x).sum();
        y.backward();
        assertClose(new double[]{2 * 0.5 + Math.exp(0.5) + 1, -2 + Math.exp(-1) + 1}, x.grad(), 1e-12, 1e-12, "diamond");
        // A shared intermediate: h = 2x used twice, y = h * h.
        Tensor x2 = leaf(3);
        Tensor h = x2.mul(2);
        h.mul(h).sum().backward();               // y = 4x^2, dy/dx = 8x
        assertExactly(new double[]{24}, x2.grad(), "shared intermediate");
        // The same leaf used twice in one op.
        Tensor x3 = leaf(1.5);
        x3.add(x3).sum().backward();
        assertExactly(new double[]{2}, x3.grad(), "x + x");
    }

    @Test
    void gradientsReduceOverBroadcastDimsToTheLeafShape() {
        Tensor b = Tensor.of(new double[]{1, 2, 3}, 1, 3).requiresGrad(true);    // [1, 3]
        Tensor s = Tensor.scalar(2.0).requiresGrad(true);                      // []
        Tensor x = Tensor.of(new double[]{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, 2, 2, 3);
        x.mul(b).mul(s).sum().backward();
        assertShape(b.grad(), 1, 3);
        assertShape(s.grad());
        assertExactly(new double[]{2 * (1 + 4 + 7 + 10), 2 * (2 + 5 + 8 + 11), 2 * (3 + 6 + 9 + 12)}, b.grad(), "db");
        double expectedDs = 0;
        for (int i = 0; i < 12; i++) expectedDs += (i + 1) * (1 + i % 3);
        assertEquals(expectedDs, s.grad().item(), 1e-12);
        // Through expand as well
        Tensor c = Tensor.of(new double[]{1, 2}, 2, 1).requiresGrad(true);
        c.expand(2, 5).sum().backward();
        assertExactly(new double[]{5, 5}, c.grad(), "expand sums back");
    }

    @Test
    void backwardOfALeafAndOfNonScalarsWithAGradient() {
        Tensor x = leaf(1, 2);
        x.backward(Tensor.of(new double[]{3, 4}));
        assertExactly(new double[]{3, 4}, x.grad(), "the leaf's own gradient");
        Tensor y = leaf(1, 2, 3);
        y.mul(y).backward(Tensor.of(new double[]{1, 0, -1}));
        assertExactly(new double[]{2, 0, -6}, y.grad(), "vector-Jacobian product");
        // Only leaves keep .grad; intermediate results do not.
        Tensor z = leaf(1);
        Tensor mid = z.mul(2);
        mid.sum().backward();
        assertNull(mid.grad());
        assertNotNull(z.grad());
    }

    @Test
    void inputsThatDoNotRequireGradGetNone() {
        Tensor x = leaf(1, 2);
        Tensor c = Tensor.of(new double[]{5, 6});
        x.mul(c).sum().backward();
        assertNull(c.grad());
        assertExactly(new double[]{5, 6}, x.grad(), "dx");
        Tensor y = c.exp();
        assertFalse(y.requiresGrad(), "an op on constants records nothing");
    }

    @Test
    void inPlaceWritesToLeavesThatRequireGradNeedNoGradMode() {
        Tensor w = leaf(1, 2);
        assertFailsMentioning(IllegalStateException.class, () -> w.addInPlace(1), "addInPlace", "requires grad", "Grad.disabled()");
        assertFailsMentioning(IllegalStateException.class, () -> w.fill(0), "fill");
        int before = w.version();
        try (Grad.Mode ignored = Grad.disabled()) {
            w.addInPlace(Tensor.of(new double[]{1, 1}), -0.5);
            w.mulInPlace(2);
            w.subInPlace(Tensor.of(new double[]{1, 1}));
        }
        assertExactly(new double[]{0, 2}, w, "(x - 0.5) * 2 - 1");
        assertEquals(before + 3, w.version(), "each in-place write bumps the version");
        assertTrue(w.requiresGrad() && w.isLeaf(), "in-place writes keep the leaf a leaf");
    }

    @Test
    void anomalyDetectionNamesTheOpAndTheCallSite() {
        Tensor x = leaf(-1, 2);
        try (Grad.Mode ignored = Grad.detectAnomaly()) {
            String m = assertFailsMentioning(ArithmeticException.class, () -> x.log(), "the forward of log", "NaN", "output");
            assertFalse(m.contains("Backward"), "a forward failure is named by its op, not by its backward node: " + m);
            Tensor inf = Tensor.of(new float[]{Float.POSITIVE_INFINITY}, 1, 1).requiresGrad(true);
            String mm = assertFailsMentioning(ArithmeticException.class, () -> inf.matmul(Tensor.zeros(1, 1)), "the forward of matmul", "NaN");
            assertFalse(mm.contains("MatmulBackward"), mm);
            assertTrue(m.contains(AutogradSuite.class.getName()) || m.contains("anomalyDetectionNamesTheOpAndTheCallSite"),
                    "the message names the user's call site: " + m);
            // Backward: sqrt's derivative at 0 is infinite.
            Tensor z = leaf(0, 1);
            Tensor s = z.sqrt().sum();
            String b = assertFailsMentioning(ArithmeticException.class, s::backward, "SqrtBackward", "Infinity");
            assertTrue(b.contains("anomalyDetectionNamesTheOpAndTheCallSite"), b);
        }
        assertFalse(Grad.isAnomalyDetectionEnabled());
        x.log(); // NaN without anomaly mode is no error
    }

    @Test
    void dtypesStayConsistentThroughBackward() {
        Tensor x = Tensor.of(new float[]{1, 2}).requiresGrad(true);
        x.mul(x).sum().backward();
        assertEquals(DType.FLOAT32, x.grad().dtype());
        assertEquals(device(), x.grad().device());
        assertExactly(new double[]{2, 4}, x.grad(), "float32 gradient");
        assertFailsMentioning(IllegalArgumentException.class, () -> x.mul(x).backward(Tensor.of(new double[]{1, 1})),
                "backward", "float64", "float32");
    }
}
