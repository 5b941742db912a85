package io.jgrad.nn;

import io.jgrad.Generator;
import io.jgrad.Grad;
import io.jgrad.Tensor;
import io.jgrad.spi.Distribution;

/**
 * Weight initialisation in place, as PyTorch's {@code torch.nn.init}. Every method overwrites the tensor's values
 * outside the graph (so it works on parameters that require grad), draws from the given {@link Generator} (or, without
 * one, from {@link Generator#global()}, which {@code Tensor.manualSeed} reseeds) so runs are reproducible on every
 * backend, and returns the tensor.
 * <p>
 * Fans are PyTorch's: for a weight of shape [out, in, k...], fan_in = in * k... and fan_out = out * k....
 */
public final class Init {
    private Init() {
    }

    /** Which fan Kaiming initialisation preserves: the forward pass's variance (FAN_IN) or the backward's. */
    public enum Mode { FAN_IN, FAN_OUT }

    /** The nonlinearity that follows the layer, which sets the gain (PyTorch's {@code calculate_gain}). */
    public enum Nonlinearity { LINEAR, SIGMOID, TANH, RELU, LEAKY_RELU }

    /**
     * The recommended gain: 1 for LINEAR and SIGMOID, 5/3 for TANH, sqrt(2) for RELU and sqrt(2 / (1 + a^2)) for
     * LEAKY_RELU with negative slope {@code a}.
     */
    public static double gain(Nonlinearity nonlinearity, double negativeSlope) {
        return switch (nonlinearity) {
            case TANH -> 5.0 / 3;
            case RELU -> Math.sqrt(2);
            case LEAKY_RELU -> Math.sqrt(2 / (1 + negativeSlope * negativeSlope));
            case LINEAR, SIGMOID -> 1;
        };
    }

    // ------------------------------------------------------------------ Kaiming (He)

    /**
     * U(-bound, bound) with bound = gain * sqrt(3 / fan), preserving the variance through a layer followed by the
     * nonlinearity; {@code a} is the negative slope for LEAKY_RELU (PyTorch's default layer init uses a = sqrt(5)).
     */
    public static Tensor kaimingUniform(Tensor t, double a, Mode mode, Nonlinearity nonlinearity, Generator gen) {
        double bound = gain(nonlinearity, a) * Math.sqrt(3.0 / fan("kaimingUniform", t, mode));
        return fill("kaimingUniform", t, Distribution.UNIFORM, -bound, bound, gen);
    }

    /** {@link #kaimingUniform(Tensor, double, Mode, Nonlinearity, Generator)} with negative slope 0. */
    public static Tensor kaimingUniform(Tensor t, Mode mode, Nonlinearity nonlinearity, Generator gen) {
        return kaimingUniform(t, 0, mode, nonlinearity, gen);
    }

    /** {@link #kaimingUniform(Tensor, Mode, Nonlinearity, Generator)} from the global generator. */
    public static Tensor kaimingUniform(Tensor t, Mode mode, Nonlinearity nonlinearity) {
        return kaimingUniform(t, 0, mode, nonlinearity, Generator.global());
    }

    /** N(0, std^2) with std = gain / sqrt(fan). */
    public static Tensor kaimingNormal(Tensor t, double a, Mode mode, Nonlinearity nonlinearity, Generator gen) {
        double std = gain(nonlinearity, a) / Math.sqrt(fan("kaimingNormal", t, mode));
        return fill("kaimingNormal", t, Distribution.NORMAL, 0, std, gen);
    }

    public static Tensor kaimingNormal(Tensor t, Mode mode, Nonlinearity nonlinearity, Generator gen) {
        return kaimingNormal(t, 0, mode, nonlinearity, gen);
    }

    /** {@link #kaimingNormal(Tensor, Mode, Nonlinearity, Generator)} from the global generator. */
    public static Tensor kaimingNormal(Tensor t, Mode mode, Nonlinearity nonlinearity) {
        return kaimingNormal(t, 0, mode, nonlinearity, Generator.global());
    }

    // ------------------------------------------------------------------ Xavier (Glorot)

    /** U(-bound, bound) with bound = gain * sqrt(6 / (fan_in + fan_out)). */
    public static Tensor xavierUniform(Tensor t, double gain, Generator gen) {
        double bound = gain * Math.sqrt(6.0 / (fanIn("xavierUniform", t) + fanOut("xavierUniform", t)));
        return fill("xavierUniform", t, Distribution.UNIFORM, -bound, bound, gen);
    }

    public static Tensor xavierUniform(Tensor t, Generator gen) {
        return xavierUniform(t, 1, gen);
    }

    /** Gain 1, from the global generator. */
    public static Tensor xavierUniform(Tensor t) {
        return xavierUniform(t, 1, Generator.global());
    }

    /** N(0, std^2) with std = gain * sqrt(2 / (fan_in + fan_out)). */
    public static Tensor xavierNormal(Tensor t, double gain, Generator gen) {
        double std = gain * Math.sqrt(2.0 / (fanIn("xavierNormal", t) + fanOut("xavierNormal", t)));
        return fill("xavierNormal", t, Distribution.NORMAL, 0, std, gen);
    }

    public static Tensor xavierNormal(Tensor t, Generator gen) {
        return xavierNormal(t, 1, gen);
    }

    /** Gain 1, from the global generator. */
    public static Tensor xavierNormal(Tensor t) {
        return xavierNormal(t, 1, Generator.global());
    }

    // ------------------------------------------------------------------ plain distributions and constants

    /** U(low, high). */
    public static Tensor uniform(Tensor t, double low, double high, Generator gen) {
        if (!(low <= high)) throw new IllegalArgumentException("Init.uniform: low " + low + " must not exceed high " + high);
        return fill("uniform", t, Distribution.UNIFORM, low, high, gen);
    }

    /** U(low, high) from the global generator. */
    public static Tensor uniform(Tensor t, double low, double high) {
        return uniform(t, low, high, Generator.global());
    }

    /** N(mean, std^2). */
    public static Tensor normal(Tensor t, double mean, double std, Generator gen) {
        if (!(std >= 0)) throw new IllegalArgumentException("Init.normal: std must be >= 0, got " + std);
        return fill("normal", t, Distribution.NORMAL, mean, std, gen);
    }

    /** N(mean, std^2) from the global generator. */
    public static Tensor normal(Tensor t, double mean, double std) {
        return normal(t, mean, std, Generator.global());
    }

    /** micrograd's neuron init: U(-1, 1). */
    public static Tensor micrograd(Tensor t, Generator gen) {
        return fill("micrograd", t, Distribution.UNIFORM, -1, 1, gen);
    }

    /** U(-1, 1) from the global generator. */
    public static Tensor micrograd(Tensor t) {
        return micrograd(t, Generator.global());
    }

    public static Tensor zeros(Tensor t) {
        return constant(t, 0);
    }

    public static Tensor ones(Tensor t) {
        return constant(t, 1);
    }

    /** Every element set to {@code value}. */
    public static Tensor constant(Tensor t, double value) {
        try (Grad.Mode ignored = Grad.disabled()) {
            t.fill(value);
        }
        return t;
    }

    // ------------------------------------------------------------------ internals

    private static Tensor fill(String op, Tensor t, Distribution dist, double a, double b, Generator gen) {
        if (gen == null) throw new IllegalArgumentException("Init." + op + ": generator is null");
        Checks.floating("Init." + op, "tensor", t);
        try (Grad.Mode ignored = Grad.disabled()) {
            Tensor draw = Tensor.random(dist, a, b, t.dtype(), t.device(), gen, t.shape().toArray());
            t.copyFrom(draw);
            draw.close();
        }
        return t;
    }

    private static double fan(String op, Tensor t, Mode mode) {
        return mode == Mode.FAN_IN ? fanIn(op, t) : fanOut(op, t);
    }

    static double fanIn(String op, Tensor t) {
        return (double) dims(op, t)[1] * receptiveField(t);
    }

    static double fanOut(String op, Tensor t) {
        return (double) dims(op, t)[0] * receptiveField(t);
    }

    private static int[] dims(String op, Tensor t) {
        if (t.dim() < 2) {
            throw new IllegalArgumentException("Init." + op + ": fan in and fan out need a tensor of at least 2 dimensions, got shape " + t.shape());
        }
        if (t.numel() == 0) throw new IllegalArgumentException("Init." + op + ": tensor of shape " + t.shape() + " has no elements");
        return t.shape().toArray();
    }

    private static long receptiveField(Tensor t) {
        long r = 1;
        for (int i = 2; i < t.dim(); i++) r *= t.size(i);
        return r;
    }
}
