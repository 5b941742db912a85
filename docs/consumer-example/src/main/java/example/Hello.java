package example;

import io.jgrad.Tensor;
import io.jgrad.nn.*;
import io.jgrad.nn.Module; // shadows java.lang.Module, which the wildcard would otherwise clash with
import io.jgrad.optim.SGD;

/** Fits y = 2x - 1 with a one-layer network: the smallest program that uses jgrad as a library. */
public final class Hello {
    public static void main(String[] args) {
        Tensor.manualSeed(0);
        Tensor x = Tensor.randn(64, 1);
        Tensor y = x.mul(2).sub(1);
        Linear model = new Linear(1, 1);
        Module asModule = model; // the wildcard import plus io.jgrad.nn.Module compiles
        SGD opt = new SGD(asModule.parameters(), 0.1);
        Tensor loss = null;
        for (int step = 0; step < 100; step++) {
            loss = Losses.mse(model.forward(x), y);
            opt.zeroGrad();
            loss.backward();
            opt.step();
        }
        System.out.printf("y = %.3f x %+.3f (loss %.1e, on %s)%n", model.weight().item(), model.bias().item(), loss.item(), x.device());
    }
}
