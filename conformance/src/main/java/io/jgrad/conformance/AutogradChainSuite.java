package io.jgrad.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jgrad.Tensor;
import org.junit.jupiter.api.Test;

/** Backward through very deep graphs runs without recursion, so it cannot overflow the call stack. */
public abstract class AutogradChainSuite extends TensorBaseSuite {

    @Test
    void millionNodeChainBackpropagatesWithoutStackOverflow() {
        int steps = 500_000; // two nodes per step: 1,000,000 nodes
        double a = 1.0000001;
        Tensor x = Tensor.of(new double[]{1.0}).requiresGrad(true);
        Tensor y = x;
        for (int i = 0; i < steps; i++) y = y.mul(a).add(0);
        y.sum().backward();
        double expected = Math.pow(a, steps); // about e^0.05
        assertEquals(expected, y.item(), expected * 1e-9, "forward");
        assertEquals(expected, x.grad().item(), expected * 1e-9, "dy/dx = a^steps");
    }

    @Test
    void deepChainOfBinaryOpsWithSavedTensors() {
        // Alternating binary ops that save their inputs: the graph holds 90,000 nodes and their saved tensors.
        int steps = 30_000;
        Tensor x = Tensor.of(new double[]{0.5}).requiresGrad(true);
        Tensor c = Tensor.of(new double[]{1.000001});
        Tensor y = x;
        for (int i = 0; i < steps; i++) y = y.mul(c).div(c).mul(c);
        y.sum().backward();
        double expected = Math.pow(1.000001, steps);
        assertEquals(0.5 * expected, y.item(), expected * 1e-9, "forward");
        assertEquals(expected, x.grad().item(), expected * 1e-9, "gradient");
    }
}
