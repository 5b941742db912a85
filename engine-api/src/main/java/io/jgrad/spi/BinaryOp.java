package io.jgrad.spi;

import static io.jgrad.spi.Formula.Leaf.GRAD;
import static io.jgrad.spi.Formula.Leaf.OUT;
import static io.jgrad.spi.Formula.Leaf.X;
import static io.jgrad.spi.Formula.Leaf.Y;
import static io.jgrad.spi.Formula.Leaf.ZERO;
import static io.jgrad.spi.Formula.where;

import io.jgrad.DType;
import java.util.function.DoubleBinaryOperator;

/**
 * The element-wise binary ops on operands already broadcast to the output's shape, each declared once in this file: its
 * name and float64 reference math (the constant) and its derivatives with respect to x and y as {@link Formula}s
 * ({@link #derive}; none for comparisons, logical ops and floor division). What backward saves follows from the
 * formulas. x and y share one dtype; comparisons and logical ops write 1 or 0 in the output's dtype (bool at the API),
 * the others write the operands' dtype. Integer operands follow {@link ScalarMath#binaryLong}.
 */
public enum BinaryOp {
    ADD("add", (x, y) -> x + y),
    SUB("sub", (x, y) -> x - y),
    MUL("mul", (x, y) -> x * y),
    DIV("div", (x, y) -> x / y),
    /** x^y. */
    POW("pow", Math::pow),
    /** Element-wise maximum. */
    MAX("maximum", Math::max),
    /** Element-wise minimum. */
    MIN("minimum", Math::min),
    EQ("eq", (x, y) -> x == y ? 1.0 : 0.0),
    NE("ne", (x, y) -> x != y ? 1.0 : 0.0),
    LT("lt", (x, y) -> x < y ? 1.0 : 0.0),
    LE("le", (x, y) -> x <= y ? 1.0 : 0.0),
    GT("gt", (x, y) -> x > y ? 1.0 : 0.0),
    GE("ge", (x, y) -> x >= y ? 1.0 : 0.0),
    /** floor(x / y) (torch.floor_divide); integer division by zero throws on the CPU. */
    FLOOR_DIVIDE("floor_divide", ScalarMath::floorDivide),
    /** x - floor(x / y) * y, with the sign of y (Python's %, torch.remainder). */
    REMAINDER("remainder", ScalarMath::remainder),
    /** x and y, each non-zero (NaN included) counting as true. */
    LOGICAL_AND("logical_and", (x, y) -> x != 0 && y != 0 ? 1.0 : 0.0),
    /** x or y, each non-zero counting as true. */
    LOGICAL_OR("logical_or", (x, y) -> x != 0 || y != 0 ? 1.0 : 0.0),
    /** The angle of the point (y, x) in (-pi, pi]: atan(x / y) in the right quadrant (torch.atan2(x, y)). */
    ATAN2("atan2", Math::atan2),
    /** x - trunc(x / y) * y, with the sign of x (C's fmod, torch.fmod); y = 0 gives NaN. */
    FMOD("fmod", (x, y) -> x % y);

    /** The derivatives of one op with respect to x and y (both null where it has none), and which leaves they read. */
    private record Derivatives(Formula dx, Formula dy, boolean readsX, boolean readsY, boolean readsOut, boolean sharedNodes) {
        Derivatives(Formula dx, Formula dy) {
            this(dx, dy, reads(dx, dy, Formula.Leaf.X), reads(dx, dy, Formula.Leaf.Y), reads(dx, dy, Formula.Leaf.OUT),
                    dx != null && (dx.hasSharedNodes() || dy.hasSharedNodes()));
        }

        private static boolean reads(Formula dx, Formula dy, Formula.Leaf leaf) {
            return dx != null && (dx.reads(leaf) || dy.reads(leaf));
        }
    }

    /**
     * Each op's derivatives, over GRAD, X, Y and OUT (a switch rather than constructor arguments, because the formulas
     * name other ops of this enum).
     */
    private static Derivatives derive(BinaryOp op) {
        return switch (op) {
            case ADD -> new Derivatives(GRAD, GRAD);
            case SUB -> new Derivatives(GRAD, GRAD.neg());
            case MUL -> new Derivatives(GRAD.mul(Y), GRAD.mul(X));
            // d/dy = -g * out / y: x itself is not needed
            case DIV -> new Derivatives(GRAD.div(Y), GRAD.mul(OUT).div(Y).neg());
            // As PyTorch: d/dx is 0 where y = 0 (x^0 is constant, even at x = 0), and d/dy is 0 where x = 0 and y >= 0
            // (log x is -inf there, but x^y does not move).
            case POW -> {
                Formula dy = GRAD.mul(OUT).mul(X.apply(UnaryOp.LOG));
                yield new Derivatives(where(Y.compare(EQ, ZERO), ZERO, GRAD.mul(Y).mul(X.pow(Y.affine(1, -1)))),
                        where(X.compare(EQ, ZERO), where(Y.compare(GE, ZERO), ZERO, dy), dy));
            }
            // Ties split the gradient evenly, and NaN passes it to both sides, as PyTorch's maximum and minimum.
            case MAX -> new Derivatives(where(X.compare(LT, Y), ZERO, where(X.compare(EQ, Y), GRAD.mul(0.5), GRAD)),
                    where(X.compare(GT, Y), ZERO, where(X.compare(EQ, Y), GRAD.mul(0.5), GRAD)));
            case MIN -> new Derivatives(where(X.compare(GT, Y), ZERO, where(X.compare(EQ, Y), GRAD.mul(0.5), GRAD)),
                    where(X.compare(LT, Y), ZERO, where(X.compare(EQ, Y), GRAD.mul(0.5), GRAD)));
            // d/dy = -g * floor(x / y), as PyTorch
            case REMAINDER -> new Derivatives(GRAD, GRAD.mul(new Formula.Combine(FLOOR_DIVIDE, X, Y)).neg());
            // d/dx = y / (x^2 + y^2), d/dy = -x / (x^2 + y^2); 0 at the origin (and where x^2 + y^2 underflows), as PyTorch
            case ATAN2 -> {
                Formula r = X.square().add(Y.square());
                Formula recip = where(r.compare(EQ, ZERO), ZERO, r.apply(UnaryOp.RECIPROCAL));
                yield new Derivatives(GRAD.mul(Y).mul(recip), GRAD.mul(X.neg()).mul(recip));
            }
            // d/dy = -g * trunc(x / y), as PyTorch
            case FMOD -> new Derivatives(GRAD, GRAD.mul(X.div(Y).apply(UnaryOp.TRUNC)).neg());
            case EQ, NE, LT, LE, GT, GE, LOGICAL_AND, LOGICAL_OR, FLOOR_DIVIDE -> new Derivatives(null, null);
        };
    }

    private final String pyName;
    private final String nodeName;
    private final DoubleBinaryOperator math;
    private volatile Derivatives derivatives;

    BinaryOp(String pyName, DoubleBinaryOperator math) {
        this.pyName = pyName;
        this.nodeName = UnaryOp.camel(pyName) + "Backward";
        this.math = math;
    }

    /** Comparisons write 1 or 0 and have no derivative. */
    public boolean isComparison() {
        return switch (this) {
            case EQ, NE, LT, LE, GT, GE -> true;
            case ADD, SUB, MUL, DIV, POW, MAX, MIN, FLOOR_DIVIDE, REMAINDER, LOGICAL_AND, LOGICAL_OR, ATAN2, FMOD -> false;
        };
    }

    /** logical and / or. */
    public boolean isLogical() {
        return this == LOGICAL_AND || this == LOGICAL_OR;
    }

    /** Whether the output holds truth values (bool at the API) whatever the operands' dtype. */
    public boolean writesBool() {
        return isComparison() || isLogical();
    }

    /** Whether the op has a derivative (comparisons, logical ops and floor division have none). */
    public boolean isDifferentiable() {
        return dx() != null;
    }

    /**
     * Whether a kernel takes operands of this dtype. Comparisons and logical ops take every dtype (a logical op reads
     * non-zero, NaN included, as true); floating dtypes take everything; integers all but DIV, POW and ATAN2 (true
     * division and atan2 promote them to float32 first, {@link #floatsIntegers}); bool also ADD and MAX (or), MUL and
     * MIN (and).
     */
    public boolean supports(DType t) {
        if (writesBool() || t.isFloating()) return true;
        if (t.isInteger()) return this != DIV && this != POW && this != ATAN2;
        return this == ADD || this == MUL || this == MAX || this == MIN;
    }

    /** Whether integer or bool operands compute in float32 (true division and atan2, as in PyTorch). */
    public boolean floatsIntegers() {
        return this == DIV || this == ATAN2;
    }

    private Derivatives derivatives() {
        Derivatives d = derivatives;
        if (d == null) derivatives = d = derive(this);
        return d;
    }

    /** The name users know the op by ("maximum"). */
    public String pyName() {
        return pyName;
    }

    /** The name of its autograd node ("MaximumBackward"). */
    public String nodeName() {
        return nodeName;
    }

    /** The op's float64 reference value. */
    public double apply(double x, double y) {
        return math.applyAsDouble(x, y);
    }

    /** Whether either derivative has a node reachable along two paths (its evaluation then remembers results). */
    public boolean derivativesShareNodes() {
        return derivatives().sharedNodes();
    }

    /** Whether backward needs x (read by either derivative). */
    public boolean savesX() {
        return derivatives().readsX();
    }

    /** Whether backward needs y. */
    public boolean savesY() {
        return derivatives().readsY();
    }

    /** Whether backward needs the output. */
    public boolean savesOutput() {
        return derivatives().readsOut();
    }

    /** The gradient with respect to x, as a formula; null where the op has none. */
    public Formula dx() {
        return derivatives().dx();
    }

    /** The gradient with respect to y, as a formula; null where the op has none. */
    public Formula dy() {
        return derivatives().dy();
    }
}
