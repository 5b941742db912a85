package io.jgrad.amp;

import io.jgrad.spi.BinaryOp;
import io.jgrad.spi.UnaryOp;

/**
 * The autocast policy: which ops run in the autocast dtype and which in float32, in one table. It follows the op
 * lists of PyTorch's autocast ("ops that can autocast to float16/bfloat16" and "ops that can autocast to float32");
 * where PyTorch's CPU list and its CUDA list differ, jgrad takes the CUDA list on every device, so softmax, norms,
 * reductions, exp and log run in float32 in a bfloat16 scope on the CPU too (PyTorch's CPU autocast leaves them in
 * bfloat16 and sends only the losses to float32). jgrad also puts mean and batch norm in float32, and its scaled
 * dot-product attention in the autocast dtype, as PyTorch's CPU list does.
 * <p>
 * Ops not listed here run in the dtype of their inputs; those with several floating inputs (add, mul, where...)
 * promote them by the usual rules, so bfloat16 + float32 gives float32. cat and stack, which otherwise insist on
 * one dtype, promote inside a scope (PyTorch's "promote" list), so that a float32 tensor and an autocast output
 * can be concatenated.
 * <p>
 * An op's entry point applies its row with one line,
 * {@code if (Autocast.active()) return Autocast.call(AutocastOp.MATMUL, in -> matmul(in[0], in[1]), a, b);},
 * which casts the inputs and runs the op with autocast suspended (as PyTorch re-dispatches below the autocast key).
 */
public enum AutocastOp {
    // ---- in the autocast dtype: the products, where half precision pays ----
    MATMUL("matmul", Policy.LOWER),
    LINEAR("linear", Policy.LOWER),
    EINSUM("einsum", Policy.LOWER),
    CONV1D("conv1d", Policy.LOWER),
    CONV2D("conv2d", Policy.LOWER),
    CONV_TRANSPOSE2D("conv_transpose2d", Policy.LOWER),
    SCALED_DOT_PRODUCT_ATTENTION("scaled_dot_product_attention", Policy.LOWER),

    // ---- in float32: what needs its range or its precision ----
    SOFTMAX("softmax", Policy.FLOAT32),
    LOG_SOFTMAX("log_softmax", Policy.FLOAT32),
    LOG_SUM_EXP("logsumexp", Policy.FLOAT32),
    CROSS_ENTROPY("cross_entropy", Policy.FLOAT32),
    NLL_LOSS("nll_loss", Policy.FLOAT32),
    MSE_LOSS("mse_loss", Policy.FLOAT32),
    L1_LOSS("l1_loss", Policy.FLOAT32),
    SMOOTH_L1_LOSS("smooth_l1_loss", Policy.FLOAT32),
    HUBER_LOSS("huber_loss", Policy.FLOAT32),
    KL_DIV("kl_div", Policy.FLOAT32),
    BINARY_CROSS_ENTROPY("binary_cross_entropy", Policy.FLOAT32),
    BINARY_CROSS_ENTROPY_WITH_LOGITS("binary_cross_entropy_with_logits", Policy.FLOAT32),
    HINGE_LOSS("hinge", Policy.FLOAT32),
    LAYER_NORM("layer_norm", Policy.FLOAT32),
    BATCH_NORM("batch_norm", Policy.FLOAT32),
    SUM("sum", Policy.FLOAT32),
    MEAN("mean", Policy.FLOAT32),
    PROD("prod", Policy.FLOAT32),
    NORM("norm", Policy.FLOAT32),
    CUMSUM("cumsum", Policy.FLOAT32),
    CUMPROD("cumprod", Policy.FLOAT32),
    LOGCUMSUMEXP("logcumsumexp", Policy.FLOAT32),
    EXP("exp", Policy.FLOAT32),
    EXPM1("expm1", Policy.FLOAT32),
    LOG("log", Policy.FLOAT32),
    LOG1P("log1p", Policy.FLOAT32),
    POW("pow", Policy.FLOAT32),
    RECIPROCAL("reciprocal", Policy.FLOAT32),
    RSQRT("rsqrt", Policy.FLOAT32),
    RDIV("rdiv", Policy.FLOAT32),
    SOFTPLUS("softplus", Policy.FLOAT32),
    TAN("tan", Policy.FLOAT32),
    ASIN("asin", Policy.FLOAT32),
    ACOS("acos", Policy.FLOAT32),
    SINH("sinh", Policy.FLOAT32),
    COSH("cosh", Policy.FLOAT32),

    // ---- in the widest input dtype: ops that need their inputs to share one dtype ----
    CAT("cat", Policy.PROMOTE),
    STACK("stack", Policy.PROMOTE);

    /** What an op does with its floating inputs inside an autocast scope (float64 inputs are never cast). */
    public enum Policy {
        /** float32 (and the other half type) inputs are cast to the scope's dtype. */
        LOWER,
        /** half-precision inputs are cast to float32. */
        FLOAT32,
        /** inputs of several dtypes (float32 and a half type, or both half types) are all cast to float32. */
        PROMOTE
    }

    private final String pyName;
    private final Policy policy;

    AutocastOp(String pyName, Policy policy) {
        this.pyName = pyName;
        this.policy = policy;
    }

    /** PyTorch's name of the op. */
    public String pyName() {
        return pyName;
    }

    public Policy policy() {
        return policy;
    }

    /** The row of an element-wise unary op, or null where it runs in its input's dtype. */
    public static AutocastOp of(UnaryOp op) {
        return switch (op) {
            case EXP -> EXP;
            case EXPM1 -> EXPM1;
            case LOG -> LOG;
            case LOG1P -> LOG1P;
            case POW -> POW;
            case RECIPROCAL -> RECIPROCAL;
            case RSQRT -> RSQRT;
            case RDIV -> RDIV;
            case SOFTPLUS -> SOFTPLUS;
            case TAN -> TAN;
            case ASIN -> ASIN;
            case ACOS -> ACOS;
            case SINH -> SINH;
            case COSH -> COSH;
            default -> null;
        };
    }

    /** The row of an element-wise binary op, or null where its inputs promote as usual. */
    public static AutocastOp of(BinaryOp op) {
        return op == BinaryOp.POW ? POW : null;
    }

    @Override
    public String toString() {
        return pyName;
    }
}
