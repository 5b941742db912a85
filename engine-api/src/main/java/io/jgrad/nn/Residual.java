package io.jgrad.nn;

import io.jgrad.Tensor;

/** A skip connection: x + inner(x). The inner module must keep the input's shape. */
public class Residual extends Module {
    public Residual(Module inner) {
        register("inner", inner);
    }

    public Module inner() {
        return child("inner");
    }

    @Override
    public Tensor forward(Tensor input) {
        Tensor y = inner().call(input); // call, not forward: the inner module's hooks run
        if (!y.shape().equals(input.shape())) {
            throw new IllegalArgumentException("Residual: the inner module " + inner().typeName() + " maps shape " + input.shape()
                    + " to " + y.shape() + "; x + inner(x) needs the same shape");
        }
        Tensor out = input.add(y);
        // the inner module's output is a temporary, closed once read (as in Sequential), unless a hook may have seen it
        if (!inner().hasHooksInTree()) Temporaries.close(y, input, out);
        return out;
    }
}
