package io.jgrad.spi;

/**
 * The exact math of every element-wise kernel, in float64: each op's declaration ({@link UnaryOp}, {@link BinaryOp})
 * holds its formula, and this class the functions those formulas share. It is the specification backends match and
 * the reference that tests compare against.
 */
public final class ScalarMath {
    private ScalarMath() {
    }

    private static final double INV_SQRT_2 = 0.7071067811865476;
    private static final double INV_SQRT_2PI = 0.3989422804014327;
    /** 2 / sqrt(pi), the factor of erf's derivative. */
    public static final double TWO_OVER_SQRT_PI = 1.1283791670955126;
    /** SELU's constants (Klambauer et al.), as PyTorch spells them. */
    public static final double SELU_ALPHA = 1.6732632423543772848170429916717;
    public static final double SELU_SCALE = 1.0507009873554804934193349852946;
    /** sqrt(2 / pi) and the cubic coefficient of GELU's tanh approximation. */
    private static final double GELU_TANH_BETA = 0.7978845608028654;
    private static final double GELU_TANH_KAPPA = 0.044715;

    /** The float64 value of a unary op: its declaration's reference math. */
    public static double unary(UnaryOp op, double x, double a, double b) {
        return op.apply(x, a, b);
    }

    /** The float64 value of a binary op: its declaration's reference math. */
    public static double binary(BinaryOp op, double x, double y) {
        return op.apply(x, y);
    }

    /** The gradient through a ReLU from its output y: 0 where y &lt;= 0, else g (a NaN output passes g, as PyTorch). */
    public static double reluBackward(double g, double y) {
        return y <= 0 ? 0.0 : g;
    }

    /**
     * The integer ops on int64 (int32 kernels compute this and keep the low 32 bits): add, sub and mul wrap;
     * floor division rounds toward negative infinity and the remainder takes the divisor's sign (Python's // and
     * %); a zero divisor throws ArithmeticException, as PyTorch raises ZeroDivisionError on the CPU.
     */
    public static long binaryLong(BinaryOp op, long x, long y) {
        return switch (op) {
            case ADD -> x + y;
            case SUB -> x - y;
            case MUL -> x * y;
            case MAX -> Math.max(x, y);
            case MIN -> Math.min(x, y);
            case FLOOR_DIVIDE -> {
                if (y == 0) throw new ArithmeticException("floor_divide: integer division by zero");
                yield Math.floorDiv(x, y);
            }
            case REMAINDER -> {
                if (y == 0) throw new ArithmeticException("remainder: integer division by zero");
                yield Math.floorMod(x, y);
            }
            case EQ -> x == y ? 1 : 0;
            case NE -> x != y ? 1 : 0;
            case LT -> x < y ? 1 : 0;
            case LE -> x <= y ? 1 : 0;
            case GT -> x > y ? 1 : 0;
            case GE -> x >= y ? 1 : 0;
            case LOGICAL_AND -> x != 0 && y != 0 ? 1 : 0;
            case LOGICAL_OR -> x != 0 || y != 0 ? 1 : 0;
            case FMOD -> {
                if (y == 0) throw new ArithmeticException("fmod: integer division by zero");
                yield x % y; // truncated: the sign of x, as C's fmod
            }
            case DIV, POW, ATAN2 -> throw new IllegalArgumentException("binary " + op + " has no integer form (it promotes to floating)");
        };
    }

    /**
     * floor(x / y) for floating operands, as PyTorch computes it: from fmod, so that x = q * y + r holds with the
     * remainder below; y = 0 gives x / y (inf or NaN).
     */
    public static double floorDivide(double x, double y) {
        if (y == 0) return x / y;
        double mod = x % y;
        double div = (x - mod) / y;
        if (mod != 0 && (y < 0) != (mod < 0)) div -= 1.0;
        if (div == 0) return Math.copySign(0.0, x / y);
        double floor = Math.floor(div);
        return div - floor > 0.5 ? floor + 1.0 : floor;
    }

    /** x - floor(x / y) * y with the sign of y (Python's %, torch.remainder); y = 0 gives NaN. */
    public static double remainder(double x, double y) {
        double mod = x % y;
        return mod != 0 && (y < 0) != (mod < 0) ? mod + y : mod;
    }

    public static double sigmoid(double x) {
        if (x >= 0) return 1.0 / (1.0 + Math.exp(-x));
        double e = Math.exp(x);
        return e / (1.0 + e);
    }

    public static double gelu(double x) {
        return x * normalCdf(x);
    }

    public static double geluGrad(double x) {
        return normalCdf(x) + x * INV_SQRT_2PI * Math.exp(-0.5 * x * x);
    }

    /** GELU's tanh approximation, in PyTorch's order of operations: x/2 (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))). */
    public static double geluTanh(double x) {
        double inner = GELU_TANH_BETA * (x + GELU_TANH_KAPPA * (x * x * x));
        return 0.5 * x * (1 + Math.tanh(inner));
    }

    /** d geluTanh(x) / dx, as PyTorch's backward computes it. */
    public static double geluTanhGrad(double x) {
        double x2 = x * x;
        double t = Math.tanh(GELU_TANH_BETA * (x + GELU_TANH_KAPPA * (x2 * x)));
        double left = 0.5 * x;
        double right = 1 + t;
        return 0.5 * right + left * (1 - t * t) * (GELU_TANH_BETA * (1 + 3 * GELU_TANH_KAPPA * x2));
    }

    /** Phi(x) = erfc(-x / sqrt 2) / 2, which keeps full relative precision in the far left tail, where 1 + erf cancels. */
    public static double normalCdf(double x) {
        return 0.5 * erfc(-x * INV_SQRT_2);
    }

    /**
     * The complementary error function, to about 1e-15 relative. Below 2 it is 1 - erf(x) (erfc(2) = 0.0047, so at
     * most two digits cancel); above, a continued fraction that converges quickly there.
     */
    public static double erfc(double x) {
        if (x != x) return x;
        if (x < 2.0) return 1.0 - erf(x);
        if (x > 27.0) return 0.0; // below the smallest double
        // erfc(x) = exp(-x^2)/sqrt(pi) * 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + ...))))), evaluated by Lentz's method.
        double tiny = 1e-300;
        double f = x, c = x, d = 0;
        for (int k = 1; k < 500; k++) {
            double a = 0.5 * k;
            d = x + a * d;
            d = Math.abs(d) < tiny ? tiny : d;
            c = x + a / c;
            c = Math.abs(c) < tiny ? tiny : c;
            d = 1.0 / d;
            double delta = c * d;
            f *= delta;
            if (Math.abs(delta - 1.0) < 1e-16) break;
        }
        return Math.exp(-x * x) / (f * 1.7724538509055160);
    }

    /**
     * The error function to about 1e-15. For |x| &lt; 6 it sums erf(x) = 2/sqrt(pi) e^(-x^2) sum 2^n x^(2n+1) / (2n+1)!!,
     * whose terms are all positive, so nothing cancels; beyond that erf is +-1 in double precision.
     */
    public static double erf(double x) {
        if (x != x) return x;
        double ax = Math.abs(x);
        if (ax >= 6.0) return Math.copySign(1.0, x);
        double x2 = ax * ax;
        double term = ax;
        double sum = ax;
        for (int n = 1; n < 200; n++) {
            term *= 2.0 * x2 / (2 * n + 1);
            sum += term;
            if (term < sum * 1e-17) break;
        }
        return Math.copySign(TWO_OVER_SQRT_PI * Math.exp(-x2) * sum, x);
    }
}
