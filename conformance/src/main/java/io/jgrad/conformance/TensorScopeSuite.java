package io.jgrad.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgrad.Scope;
import io.jgrad.Tensor;
import org.junit.jupiter.api.Test;

/** Deterministic memory release: scopes close what was made inside them, except what is kept or persisted. */
public abstract class TensorScopeSuite extends TensorBaseSuite {

    @Test
    void scopeClosesWhatWasCreatedInsideExceptKeptTensors() {
        Tensor outside = Tensor.ones(2);
        Tensor temp, kept, persisted, view;
        try (Scope scope = Scope.open()) {
            temp = outside.mul(2);
            kept = scope.keep(outside.add(1));
            persisted = Scope.persist(outside.sub(1));
            view = scope.keep(temp.reshape(2, 1));
        }
        assertTrue(temp.isClosed(), "temporary closed");
        assertFalse(kept.isClosed(), "kept survives");
        assertFalse(persisted.isClosed(), "persisted survives");
        assertFalse(outside.isClosed(), "created outside: not the scope's");
        assertExactly(new double[]{2, 2}, kept, "kept data intact");
        assertExactly(new double[]{2, 2}, view, "a kept view keeps its memory although its base was closed");
        assertFailsMentioning(IllegalStateException.class, temp::toDoubleArray, "closed");
        assertEquals("tensor(<closed>, shape=[2])", temp.toString());
    }

    @Test
    void nestedScopesHandKeptTensorsToTheirParent() {
        Tensor kept;
        try (Scope outer = Scope.open()) {
            try (Scope inner = Scope.open()) {
                kept = inner.keep(Tensor.ones(3));
            }
            assertFalse(kept.isClosed(), "kept into the outer scope");
        }
        assertTrue(kept.isClosed(), "closed with the outer scope");
    }

    @Test
    void parametersAndTheirGradientsSurviveTrainingStepScopes() {
        Tensor w = Tensor.of(new double[]{1, 2}).requiresGrad(true);
        double lossValue;
        Tensor loss;
        for (int step = 0; step < 2; step++) {
            try (Scope ignored = Scope.open()) {
                loss = w.mul(w).sum();
                loss.backward();
                lossValue = loss.item();
            }
            assertTrue(loss.isClosed());
            assertEquals(5, lossValue, 0);
            assertFalse(w.grad().isClosed(), "the gradient escapes the scope");
        }
        assertExactly(new double[]{4, 8}, w.grad(), "two steps accumulated");
        // A gradient set inside a scope escapes too.
        try (Scope ignored = Scope.open()) {
            w.setGrad(Tensor.of(new double[]{7, 7}));
        }
        assertExactly(new double[]{7, 7}, w.grad(), "setGrad inside a scope");
    }

    @Test
    void scopesMustCloseInnermostFirst() {
        Scope outer = Scope.open();
        Scope inner = Scope.open();
        assertFailsMentioning(IllegalStateException.class, outer::close, "innermost");
        inner.close();
        outer.close(); // the failed attempt did not mark it closed
        Tensor t = Tensor.ones(1);
        assertFalse(t.isClosed(), "no scope is open any more");
    }

    @Test
    void closeIsIdempotentAndViewsKeepMemoryAlive() {
        Tensor base = Tensor.ones(4);
        Tensor view = base.slice(0, 1, 3);
        base.close();
        base.close();
        assertTrue(base.isClosed());
        assertFalse(view.isClosed(), "the view still holds the memory");
        assertExactly(new double[]{1, 1}, view, "view data");
        view.close();
        assertTrue(view.isClosed());
    }
}
