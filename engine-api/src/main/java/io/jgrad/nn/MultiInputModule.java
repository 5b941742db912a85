package io.jgrad.nn;

import io.jgrad.Tensor;

/**
 * The base of modules that take several inputs (a bilinear layer, attention with a mask): implement
 * {@link #forward(Tensor...)} and call the module as {@code m.forward(a, b)} (or {@code m.call(a, b)} to run its
 * hooks). {@code forward(Tensor)} with a single input is refused with a message naming the module.
 */
public abstract class MultiInputModule extends Module {
    @Override
    public abstract Tensor forward(Tensor... inputs);

    @Override
    public Tensor forward(Tensor input) {
        throw new IllegalArgumentException(typeName() + " takes several inputs; call forward(a, b, ...) (got a single input "
                + (input == null ? "null" : Checks.describe(input)) + ")");
    }
}
