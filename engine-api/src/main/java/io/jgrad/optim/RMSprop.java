package io.jgrad.optim;

import io.jgrad.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * RMSprop (Hinton), as in PyTorch: with {@code g = grad + weightDecay*p} and
 * {@code square_avg = alpha*square_avg + (1-alpha)*g²}, the denominator is {@code sqrt(square_avg) + eps}, or when
 * centered {@code sqrt(square_avg - grad_avg²) + eps} with {@code grad_avg = alpha*grad_avg + (1-alpha)*g} (the
 * gradient's variance instead of its second moment). Then {@code p -= lr * g/denominator}, or with momentum
 * {@code buf = momentum*buf + g/denominator; p -= lr*buf}.
 * <p>
 * Composed of in-place tensor ops (a few kernels per parameter), whose temporaries are freed at the end of the step.
 */
public final class RMSprop extends Optimizer {
    private static final String SQUARE_AVG = "square_avg";
    private static final String MOMENTUM_BUFFER = "momentum_buffer";
    private static final String GRAD_AVG = "grad_avg";

    private final double alpha;
    private final double eps;
    private final double weightDecay;
    private final double momentum;
    private final boolean centered;

    /** RMSprop with PyTorch's defaults: alpha 0.99, eps 1e-8, no weight decay or momentum, not centered. */
    public RMSprop(List<Tensor> params, double lr) {
        this(params, lr, 0.99, 1e-8, 0, 0, false);
    }

    /**
     * @param alpha       decay of the squared-gradient average, in [0, 1)
     * @param eps         added to the denominator for stability, >= 0
     * @param weightDecay L2 penalty factor added to the gradient, >= 0
     * @param momentum    momentum factor in [0, 1); 0 turns momentum off
     * @param centered    normalise by the gradient's estimated variance instead of its second moment
     */
    public RMSprop(List<Tensor> params, double lr, double alpha, double eps, double weightDecay, double momentum, boolean centered) {
        super("RMSprop", params, lr);
        check("RMSprop", "alpha (expected 0 <= alpha < 1)", alpha, alpha >= 0 && alpha < 1);
        check("RMSprop", "eps (expected >= 0, finite)", eps, eps >= 0 && eps < Double.POSITIVE_INFINITY);
        check("RMSprop", "weight decay (expected >= 0, finite)", weightDecay, weightDecay >= 0 && weightDecay < Double.POSITIVE_INFINITY);
        check("RMSprop", "momentum (expected 0 <= momentum < 1)", momentum, momentum >= 0 && momentum < 1);
        this.alpha = alpha;
        this.eps = eps;
        this.weightDecay = weightDecay;
        this.momentum = momentum;
        this.centered = centered;
    }

    @Override
    protected void update(int index, Tensor param, Tensor grad, long paramStep) {
        Tensor g = weightDecay != 0 ? grad.add(param.mul(weightDecay)) : grad;
        Tensor squareAvg = buffer(index, SQUARE_AVG);
        squareAvg.mulInPlace(alpha).addInPlace(g.square(), 1 - alpha);
        Tensor denominator;
        if (centered) {
            Tensor gradAvg = buffer(index, GRAD_AVG);
            gradAvg.mulInPlace(alpha).addInPlace(g, 1 - alpha);
            // The variance is >= 0 in exact arithmetic; the clamp keeps rounding from turning it into sqrt(-tiny) = NaN.
            denominator = squareAvg.sub(gradAvg.square()).clampMin(0).sqrt().add(eps);
        } else {
            denominator = squareAvg.sqrt().add(eps);
        }
        Tensor direction = g.div(denominator);
        if (momentum != 0) {
            Tensor buf = buffer(index, MOMENTUM_BUFFER);
            buf.mulInPlace(momentum).addInPlace(direction);
            direction = buf;
        }
        param.addInPlace(direction, -lr());
    }

    @Override
    protected List<String> bufferNames() {
        List<String> names = new ArrayList<>(List.of(SQUARE_AVG));
        if (momentum != 0) names.add(MOMENTUM_BUFFER);
        if (centered) names.add(GRAD_AVG);
        return List.copyOf(names);
    }

    /** Saved for PyTorch parity and for checkpoints; the update itself does not depend on it. */
    @Override
    protected boolean countsParamSteps() {
        return true;
    }

    @Override
    public String toString() {
        return "RMSprop(lr=" + lr() + ", alpha=" + alpha + ", eps=" + eps + ", weightDecay=" + weightDecay + ", momentum="
                + momentum + ", centered=" + centered + ", " + params().size() + " parameters, " + stepCount() + " steps)";
    }
}
