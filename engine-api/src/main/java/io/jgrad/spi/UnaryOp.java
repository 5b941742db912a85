package io.jgrad.spi;

import static io.jgrad.spi.Formula.A;
import static io.jgrad.spi.Formula.B;
import static io.jgrad.spi.Formula.Leaf.GRAD;
import static io.jgrad.spi.Formula.Leaf.OUT;
import static io.jgrad.spi.Formula.Leaf.X;
import static io.jgrad.spi.Formula.Leaf.ZERO;
import static io.jgrad.spi.Formula.geluBackward;
import static io.jgrad.spi.Formula.reluBackward;
import static io.jgrad.spi.Formula.when;
import static io.jgrad.spi.Formula.where;

import java.util.Locale;

/**
 * The element-wise unary ops, each declared once in this file: its name and float64 reference math (the constant:
 * the specification every backend's kernel matches, and the reference tests compare against) and its derivative as a
 * {@link Formula} of the incoming gradient, the input x, the output and the constants a and b ({@link #derive}). What
 * backward saves follows from the formula: the input if it reads X, the output if it reads OUT.
 *
 * <p>Adding an op: a constant and a derivative here, its CPU kernel body (a case in engine-cpu's {@code UnaryKernels}; ops without a
 * faster float32 formula round this reference math) and its CUDA kernel body (a case in {@code unary_math} of
 * engine-cuda's {@code common.cuh}, whose op codes are generated from this enum). docs/DESIGN.md has the recipe.
 */
public enum UnaryOp {
    NEG("neg", (x, a, b) -> -x),
    EXP("exp", (x, a, b) -> Math.exp(x)),
    LOG("log", (x, a, b) -> Math.log(x)),
    SQRT("sqrt", (x, a, b) -> Math.sqrt(x)),
    RSQRT("rsqrt", (x, a, b) -> 1.0 / Math.sqrt(x)),
    TANH("tanh", (x, a, b) -> Math.tanh(x)),
    SIGMOID("sigmoid", (x, a, b) -> ScalarMath.sigmoid(x)),
    /** max(x, 0) as PyTorch computes it: -0 and NaN pass through; the gradient passes where the output is not &lt;= 0. */
    RELU("relu", (x, a, b) -> x < 0 ? 0.0 : x),
    /** Exact GELU, x * Phi(x), with the erf-based normal CDF (PyTorch's default). */
    GELU("gelu", (x, a, b) -> ScalarMath.gelu(x)),
    /** d GELU(x) / dx. */
    GELU_GRAD("gelu_grad", (x, a, b) -> ScalarMath.geluGrad(x)),
    ABS("abs", (x, a, b) -> Math.abs(x)),
    SIGN("sign", (x, a, b) -> Math.signum(x)),
    RECIPROCAL("reciprocal", (x, a, b) -> 1.0 / x),
    SQUARE("square", (x, a, b) -> x * x),
    SIN("sin", (x, a, b) -> Math.sin(x)),
    COS("cos", (x, a, b) -> Math.cos(x)),
    /** 1 where x &gt; 0, else 0. */
    STEP("step", (x, a, b) -> x > 0 ? 1.0 : 0.0),
    /** x raised to the constant power a; x^0 is constant, so its gradient is 0 even at x = 0. */
    POW("pow", (x, a, b) -> Math.pow(x, a)),
    /** min(max(x, a), b); the gradient passes where a &lt;= x &lt;= b: 1 - [x &gt; b] - [x &lt; a]. */
    CLAMP("clamp", (x, a, b) -> Math.min(Math.max(x, a), b)),
    /** a * x + b. */
    AFFINE("affine", (x, a, b) -> a * x + b),
    /** a / x. */
    RDIV("rdiv", (x, a, b) -> a / x),
    /** x where x &gt; 0, else a * x. */
    LEAKY_RELU("leaky_relu", (x, a, b) -> x > 0 ? x : a * x),
    /** log(1 + x), accurate for tiny x. */
    LOG1P("log1p", (x, a, b) -> Math.log1p(x)),
    /** e^x - 1, accurate for tiny x. */
    EXPM1("expm1", (x, a, b) -> Math.expm1(x)),
    /** log(1 + e^(a x)) / a with beta = a, and x itself where a x &gt; b (the threshold), as PyTorch's softplus. */
    SOFTPLUS("softplus", (x, a, b) -> x * a > b ? x : Math.log1p(Math.exp(a * x)) / a),
    /** x * sigmoid(x), computed as x / (1 + e^-x) like PyTorch. */
    SILU("silu", (x, a, b) -> x / (1 + Math.exp(-x))),
    /** x where x &gt; 0, else a (e^x - 1), with alpha = a. */
    ELU("elu", (x, a, b) -> x > 0 ? x : a * Math.expm1(x)),
    /** scale * elu(x, alpha) with PyTorch's fixed constants. */
    SELU("selu", (x, a, b) -> x > 0 ? x * ScalarMath.SELU_SCALE : Math.expm1(x) * (ScalarMath.SELU_ALPHA * ScalarMath.SELU_SCALE)),
    /** x * tanh(softplus(x)). */
    MISH("mish", (x, a, b) -> x * Math.tanh(Math.log1p(Math.exp(x)))),
    /** min(max(x, a), b); unlike clamp the gradient stops at the bounds themselves, as PyTorch's hardtanh. */
    HARDTANH("hardtanh", (x, a, b) -> Math.min(Math.max(x, a), b)),
    /** min(max(x + 3, 0), 6) / 6. */
    HARDSIGMOID("hardsigmoid", (x, a, b) -> Math.min(Math.max(x + 3, 0), 6) / 6),
    /** x * min(max(x + 3, 0), 6) / 6. */
    HARDSWISH("hardswish", (x, a, b) -> x * Math.min(Math.max(x + 3, 0), 6) / 6),
    /** GELU with PyTorch's tanh approximation: x/2 (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))). */
    GELU_TANH("gelu_tanh", (x, a, b) -> ScalarMath.geluTanh(x)),
    /** d GELU_TANH(x) / dx. */
    GELU_TANH_GRAD("gelu_tanh_grad", (x, a, b) -> ScalarMath.geluTanhGrad(x)),
    ERF("erf", (x, a, b) -> ScalarMath.erf(x)),
    FLOOR("floor", (x, a, b) -> Math.floor(x)),
    CEIL("ceil", (x, a, b) -> Math.ceil(x)),
    /** Rounds half to even, as torch.round. */
    ROUND("round", (x, a, b) -> Math.rint(x)),
    /** Rounds toward zero (keeps the sign of zero: trunc(-0.5) = -0). */
    TRUNC("trunc", (x, a, b) -> x < 0 ? Math.ceil(x) : Math.floor(x)),
    TAN("tan", (x, a, b) -> Math.tan(x)),
    ASIN("asin", (x, a, b) -> Math.asin(x)),
    ACOS("acos", (x, a, b) -> Math.acos(x)),
    ATAN("atan", (x, a, b) -> Math.atan(x)),
    SINH("sinh", (x, a, b) -> Math.sinh(x)),
    COSH("cosh", (x, a, b) -> Math.cosh(x));

    /** The float64 reference math of an op with parameters a and b. */
    @FunctionalInterface
    public interface Math3 {
        double apply(double x, double a, double b);
    }

    private final String pyName;
    private final String nodeName;
    private final Math3 math;
    /** The derivative and what it reads, built on first use (the formulas name other constants of this enum). */
    private record Declared(Formula derivative, boolean savesInput, boolean savesOutput, boolean sharedNodes) {
        Declared(Formula derivative) {
            this(derivative, derivative.reads(Formula.Leaf.X), derivative.reads(Formula.Leaf.OUT), derivative.hasSharedNodes());
        }
    }

    private volatile Declared declared;

    UnaryOp(String pyName, Math3 math) {
        this.pyName = pyName;
        this.nodeName = camel(pyName) + "Backward";
        this.math = math;
    }

    /**
     * Each op's derivative: d op(x) / dx times the incoming gradient, over GRAD, X, OUT and the constants A and B.
     * (A switch rather than a constructor argument: a formula names other ops of this enum, which Java does not let a
     * constant's initializer do.)
     */
    private static Formula derive(UnaryOp op) {
        return switch (op) {
            case NEG -> GRAD.neg();
            case EXP -> GRAD.mul(OUT);
            case LOG -> GRAD.div(X);
            case SQRT -> GRAD.div(OUT).mul(0.5);
            case RSQRT -> GRAD.mul(OUT.apply(POW, (a, b) -> 3, B)).mul(-0.5);
            case TANH -> GRAD.mul(OUT.square().rsub(1));
            case SIGMOID -> GRAD.mul(OUT.mul(OUT.rsub(1)));
            case RELU -> reluBackward(GRAD, OUT);
            case GELU -> geluBackward(GELU, GRAD, X);
            case GELU_GRAD -> ZERO;
            case ABS -> GRAD.mul(X.apply(SIGN));
            case SIGN -> ZERO;
            case RECIPROCAL -> GRAD.mul(OUT.square()).neg();
            case SQUARE -> GRAD.mul(X).mul(2);
            case SIN -> GRAD.mul(X.apply(COS));
            case COS -> GRAD.mul(X.apply(SIN)).neg();
            case STEP -> ZERO;
            case POW -> when((a, b) -> a == 0, ZERO, GRAD.mul(X.apply(POW, (a, b) -> a - 1, B)).mul(A));
            case CLAMP -> GRAD.mul(X.affine((a, b) -> 1, (a, b) -> -b).apply(STEP)
                    .add(X.affine((a, b) -> -1, A).apply(STEP)).rsub(1));
            case AFFINE -> GRAD.mul(A);
            case RDIV -> GRAD.mul(X.square().apply(RDIV, (a, b) -> -a, B));
            case LEAKY_RELU -> GRAD.mul(X.apply(STEP).affine((a, b) -> 1 - a, A));
            case LOG1P -> GRAD.div(X.affine(1, 1));
            case EXPM1 -> GRAD.mul(OUT.affine(1, 1));
            // 1 above the threshold, else sigmoid(beta x) (PyTorch writes it e / (e + 1), which is NaN where e overflows)
            case SOFTPLUS -> where(X.affine(A, (a, b) -> -b).compare(BinaryOp.GT, ZERO), GRAD, GRAD.mul(X.mul(A).apply(SIGMOID)));
            case SILU -> {
                Formula s = X.apply(SIGMOID);
                yield GRAD.mul(s.mul(X.mul(s.rsub(1)).affine(1, 1)));
            }
            // x <= 0 takes the exponential side (alpha at 0) and a NaN input passes the gradient, as PyTorch's
            // elu_backward (its scalar kernel; for NaN its vectorised one disagrees)
            case ELU -> where(X.compare(BinaryOp.LE, ZERO), GRAD.mul(X.apply(EXP).mul(A)), GRAD);
            case SELU -> where(X.compare(BinaryOp.LE, ZERO), GRAD.mul(X.apply(EXP).mul(ScalarMath.SELU_ALPHA * ScalarMath.SELU_SCALE)),
                    GRAD.mul(ScalarMath.SELU_SCALE));
            case MISH -> {
                Formula t = X.apply(SOFTPLUS, (a, b) -> 1, (a, b) -> Double.POSITIVE_INFINITY).apply(TANH);
                yield GRAD.mul(t.add(X.mul(X.apply(SIGMOID)).mul(t.square().rsub(1))));
            }
            // 0 where x <= min or x >= max (the bounds included), else the gradient; NaN passes it (PyTorch's scalar kernel)
            case HARDTANH -> where(new Formula.Combine(BinaryOp.LOGICAL_OR, X.affine((a, b) -> 1, (a, b) -> -a).compare(BinaryOp.LE, ZERO),
                    X.affine((a, b) -> 1, (a, b) -> -b).compare(BinaryOp.GE, ZERO)), ZERO, GRAD);
            // 1/6 strictly inside (-3, 3), else 0 (NaN too)
            case HARDSIGMOID -> where(new Formula.Combine(BinaryOp.LOGICAL_AND, X.affine(1, 3).compare(BinaryOp.GT, ZERO),
                    X.affine(-1, 3).compare(BinaryOp.GT, ZERO)), GRAD.mul(1.0 / 6), ZERO);
            // 0 up to -3 (inclusive), x/3 + 1/2 below 3, 1 from 3 on (and for NaN), as PyTorch's hardswish_backward
            case HARDSWISH -> where(X.affine(1, 3).compare(BinaryOp.LE, ZERO), ZERO,
                    where(X.affine(1, -3).compare(BinaryOp.LT, ZERO), GRAD.mul(X.affine(1.0 / 3, 0.5)), GRAD));
            case GELU_TANH -> geluBackward(GELU_TANH, GRAD, X);
            case GELU_TANH_GRAD -> ZERO;
            case ERF -> GRAD.mul(X.square().affine(-1, 0).apply(EXP)).mul(ScalarMath.TWO_OVER_SQRT_PI);
            case FLOOR, CEIL, ROUND, TRUNC -> ZERO;
            case TAN -> GRAD.mul(OUT.square().affine(1, 1));
            case ASIN -> GRAD.mul(X.square().rsub(1).apply(RSQRT));
            case ACOS -> GRAD.mul(X.square().rsub(1).apply(RSQRT)).neg();
            case ATAN -> GRAD.div(X.square().affine(1, 1));
            case SINH -> GRAD.mul(X.apply(COSH));
            case COSH -> GRAD.mul(X.apply(SINH));
        };
    }

    /** The name users know the op by ("leaky_relu"). */
    public String pyName() {
        return pyName;
    }

    /** The name of its autograd node ("LeakyReluBackward"). */
    public String nodeName() {
        return nodeName;
    }

    /** The op's float64 reference value. */
    public double apply(double x, double a, double b) {
        return math.apply(x, a, b);
    }

    /** d op(x) / dx times the incoming gradient, as a formula. */
    public Formula derivative() {
        return declared().derivative();
    }

    /** Whether the derivative has a node reachable along two paths (its evaluation then remembers results). */
    public boolean derivativeSharesNodes() {
        return declared().sharedNodes();
    }

    /** Whether backward needs the input x (read by the derivative). */
    public boolean savesInput() {
        return declared().savesInput();
    }

    /** Whether backward needs the output. */
    public boolean savesOutput() {
        return declared().savesOutput();
    }

    private Declared declared() {
        Declared d = declared;
        if (d == null) declared = d = new Declared(derive(this)); // a race builds the same value twice, harmlessly
        return d;
    }

    static String camel(String snake) {
        StringBuilder sb = new StringBuilder();
        for (String part : snake.split("_")) {
            if (part.isEmpty()) continue;
            sb.append(part.substring(0, 1).toUpperCase(Locale.ROOT)).append(part.substring(1));
        }
        return sb.toString();
    }
}
