package io.jgrad.optim;

import io.jgrad.Functional;
import io.jgrad.Tensor;
import java.util.List;

/**
 * Stochastic gradient descent with optional momentum, dampening, L2 weight decay and Nesterov momentum, as in
 * PyTorch: {@code g = grad + weightDecay*p}; {@code buf = g} on the first step, then
 * {@code buf = momentum*buf + (1 - dampening)*g}; {@code g = nesterov ? g + momentum*buf : buf};
 * {@code p -= lr*g}. Each parameter's update is one fused kernel ({@link Functional#sgdUpdate}).
 */
public final class SGD extends Optimizer {
    private static final String MOMENTUM_BUFFER = "momentum_buffer";

    private final double momentum;
    private final double dampening;
    private final double weightDecay;
    private final boolean nesterov;

    /** Plain SGD: {@code p -= lr * grad}. */
    public SGD(List<Tensor> params, double lr) {
        this(params, lr, 0, 0, 0, false);
    }

    /** SGD with (heavy-ball) momentum. */
    public SGD(List<Tensor> params, double lr, double momentum) {
        this(params, lr, momentum, 0, 0, false);
    }

    /**
     * @param momentum    momentum factor in [0, 1); 0 turns momentum off
     * @param dampening   dampening of the gradient added to the momentum buffer, in [0, 1]
     * @param weightDecay L2 penalty factor added to the gradient, >= 0
     * @param nesterov    Nesterov momentum; needs momentum > 0 and dampening 0
     */
    public SGD(List<Tensor> params, double lr, double momentum, double dampening, double weightDecay, boolean nesterov) {
        super("SGD", params, lr);
        check("SGD", "momentum (expected 0 <= momentum < 1)", momentum, momentum >= 0 && momentum < 1);
        check("SGD", "dampening (expected 0 <= dampening <= 1)", dampening, dampening >= 0 && dampening <= 1);
        check("SGD", "weight decay (expected >= 0, finite)", weightDecay, weightDecay >= 0 && weightDecay < Double.POSITIVE_INFINITY);
        if (nesterov && (momentum <= 0 || dampening != 0)) {
            throw new IllegalArgumentException("SGD: Nesterov momentum needs momentum > 0 and dampening 0, got momentum "
                    + momentum + " and dampening " + dampening);
        }
        this.momentum = momentum;
        this.dampening = dampening;
        this.weightDecay = weightDecay;
        this.nesterov = nesterov;
    }

    @Override
    protected void update(int index, Tensor param, Tensor grad, long paramStep) {
        Tensor buffer = null;
        boolean firstStep = false;
        if (momentum != 0) {
            firstStep = !hasBuffer(index, MOMENTUM_BUFFER);
            buffer = buffer(index, MOMENTUM_BUFFER);
        }
        Functional.sgdUpdate(param, grad, buffer, lr(), momentum, dampening, weightDecay, nesterov, firstStep);
    }

    @Override
    protected List<String> bufferNames() {
        return momentum != 0 ? List.of(MOMENTUM_BUFFER) : List.of();
    }

    @Override
    public String toString() {
        return "SGD(lr=" + lr() + ", momentum=" + momentum + ", dampening=" + dampening + ", weightDecay=" + weightDecay
                + ", nesterov=" + nesterov + ", " + params().size() + " parameters, " + stepCount() + " steps)";
    }
}
