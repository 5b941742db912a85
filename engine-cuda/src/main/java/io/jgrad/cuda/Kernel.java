package io.jgrad.cuda;

import io.jgrad.DType;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Every kernel the backend launches. The entry name in the PTX is the constant's name in lower case; each kernel
 * takes one struct whose size (argBytes) is pinned by a static_assert in the .cu source and checked at launch.
 */
enum Kernel {
    UNARY_F32(Module.ELEMENTWISE, 344), UNARY_F64(Module.ELEMENTWISE, 344),
    BINARY_F32_F32(Module.ELEMENTWISE, 344), BINARY_F32_F64(Module.ELEMENTWISE, 344), BINARY_F32_I64(Module.ELEMENTWISE, 344), BINARY_F32_I32(Module.ELEMENTWISE, 344), BINARY_F32_BOOL(Module.ELEMENTWISE, 344),
    BINARY_F64_F32(Module.ELEMENTWISE, 344), BINARY_F64_F64(Module.ELEMENTWISE, 344), BINARY_F64_I64(Module.ELEMENTWISE, 344), BINARY_F64_I32(Module.ELEMENTWISE, 344), BINARY_F64_BOOL(Module.ELEMENTWISE, 344),
    BINARY_I64_F32(Module.ELEMENTWISE, 344), BINARY_I64_F64(Module.ELEMENTWISE, 344), BINARY_I64_I64(Module.ELEMENTWISE, 344), BINARY_I64_I32(Module.ELEMENTWISE, 344), BINARY_I64_BOOL(Module.ELEMENTWISE, 344),
    BINARY_I32_F32(Module.ELEMENTWISE, 344), BINARY_I32_F64(Module.ELEMENTWISE, 344), BINARY_I32_I64(Module.ELEMENTWISE, 344), BINARY_I32_I32(Module.ELEMENTWISE, 344), BINARY_I32_BOOL(Module.ELEMENTWISE, 344),
    BINARY_BOOL_F32(Module.ELEMENTWISE, 344), BINARY_BOOL_F64(Module.ELEMENTWISE, 344), BINARY_BOOL_I64(Module.ELEMENTWISE, 344), BINARY_BOOL_I32(Module.ELEMENTWISE, 344), BINARY_BOOL_BOOL(Module.ELEMENTWISE, 344),
    WHERE_F32(Module.ELEMENTWISE, 344), WHERE_F64(Module.ELEMENTWISE, 344), WHERE_I64(Module.ELEMENTWISE, 344),
    WHERE_I32(Module.ELEMENTWISE, 344), WHERE_BOOL(Module.ELEMENTWISE, 344),
    COPY_F32_F32(Module.ELEMENTWISE, 320), COPY_F32_F64(Module.ELEMENTWISE, 320), COPY_F32_I64(Module.ELEMENTWISE, 320), COPY_F32_I32(Module.ELEMENTWISE, 320), COPY_F32_BOOL(Module.ELEMENTWISE, 320),
    COPY_F64_F32(Module.ELEMENTWISE, 320), COPY_F64_F64(Module.ELEMENTWISE, 320), COPY_F64_I64(Module.ELEMENTWISE, 320), COPY_F64_I32(Module.ELEMENTWISE, 320), COPY_F64_BOOL(Module.ELEMENTWISE, 320),
    COPY_I64_F32(Module.ELEMENTWISE, 320), COPY_I64_F64(Module.ELEMENTWISE, 320), COPY_I64_I64(Module.ELEMENTWISE, 320), COPY_I64_I32(Module.ELEMENTWISE, 320), COPY_I64_BOOL(Module.ELEMENTWISE, 320),
    COPY_I32_F32(Module.ELEMENTWISE, 320), COPY_I32_F64(Module.ELEMENTWISE, 320), COPY_I32_I64(Module.ELEMENTWISE, 320), COPY_I32_I32(Module.ELEMENTWISE, 320), COPY_I32_BOOL(Module.ELEMENTWISE, 320),
    COPY_BOOL_F32(Module.ELEMENTWISE, 320), COPY_BOOL_F64(Module.ELEMENTWISE, 320), COPY_BOOL_I64(Module.ELEMENTWISE, 320), COPY_BOOL_I32(Module.ELEMENTWISE, 320), COPY_BOOL_BOOL(Module.ELEMENTWISE, 320),
    FILL_F32(Module.ELEMENTWISE, 328), FILL_F64(Module.ELEMENTWISE, 328), FILL_I64(Module.ELEMENTWISE, 328),
    FILL_I32(Module.ELEMENTWISE, 328), FILL_BOOL(Module.ELEMENTWISE, 328),
    BIAS_ACT_F32(Module.ELEMENTWISE, 336), BIAS_ACT_F64(Module.ELEMENTWISE, 336),
    RELU_BACKWARD_F32(Module.ELEMENTWISE, 328), RELU_BACKWARD_F64(Module.ELEMENTWISE, 328),
    GELU_BACKWARD_F32(Module.ELEMENTWISE, 344), GELU_BACKWARD_F64(Module.ELEMENTWISE, 344),

    REDUCE_BLOCK_F32(Module.REDUCE, 360), REDUCE_BLOCK_F64(Module.REDUCE, 360), REDUCE_BLOCK_I64(Module.REDUCE, 360),
    REDUCE_THREAD_F32(Module.REDUCE, 360), REDUCE_THREAD_F64(Module.REDUCE, 360), REDUCE_THREAD_I64(Module.REDUCE, 360),
    REDUCE_FINISH_F32(Module.REDUCE, 360), REDUCE_FINISH_F64(Module.REDUCE, 360), REDUCE_FINISH_I64(Module.REDUCE, 360),
    SOFTMAX_F32(Module.REDUCE, 352), SOFTMAX_F64(Module.REDUCE, 352),
    CROSS_ENTROPY_F32(Module.REDUCE, 104), CROSS_ENTROPY_F64(Module.REDUCE, 104),
    CROSS_ENTROPY_GRAD_F32(Module.REDUCE, 104), CROSS_ENTROPY_GRAD_F64(Module.REDUCE, 104),

    GATHER_F32(Module.INDEX, 352), GATHER_F64(Module.INDEX, 352), GATHER_I64(Module.INDEX, 352),
    GATHER_I32(Module.INDEX, 352), GATHER_BOOL(Module.INDEX, 352),
    SCATTER_ADD_F32(Module.INDEX, 352), SCATTER_ADD_F64(Module.INDEX, 352), SCATTER_ADD_I64(Module.INDEX, 352),
    SCATTER_ADD_I32(Module.INDEX, 352),

    RANDOM_F32(Module.RANDOM, 344), RANDOM_F64(Module.RANDOM, 344),

    ADAM_F32(Module.OPTIM, 104), ADAM_F64(Module.OPTIM, 104),
    SGD_F32(Module.OPTIM, 72), SGD_F64(Module.OPTIM, 72),

    SCAN_F32(Module.SCANSORT, 352), SCAN_F64(Module.SCANSORT, 352), SCAN_I64(Module.SCANSORT, 352),
    SORT_F32(Module.SCANSORT, 376), SORT_F64(Module.SCANSORT, 376), SORT_I64(Module.SCANSORT, 376),
    ATTENTION_FORWARD_F32(Module.ATTENTION, 144), ATTENTION_FORWARD_F64(Module.ATTENTION, 144),
    ATTENTION_ROWDOT_F32(Module.ATTENTION, 144), ATTENTION_ROWDOT_F64(Module.ATTENTION, 144),
    ATTENTION_DKDV_F32(Module.ATTENTION, 144), ATTENTION_DKDV_F64(Module.ATTENTION, 144),
    ATTENTION_DQ_F32(Module.ATTENTION, 144), ATTENTION_DQ_F64(Module.ATTENTION, 144),

    // half.cu: conversions to and from float16 and bfloat16 (copy_<out>_<in>), and fill
    COPY_F16_F32(Module.HALF, 320), COPY_F16_F64(Module.HALF, 320), COPY_F16_I64(Module.HALF, 320), COPY_F16_I32(Module.HALF, 320), COPY_F16_BOOL(Module.HALF, 320),
    COPY_F32_F16(Module.HALF, 320), COPY_F64_F16(Module.HALF, 320), COPY_I64_F16(Module.HALF, 320), COPY_I32_F16(Module.HALF, 320), COPY_BOOL_F16(Module.HALF, 320),
    COPY_BF16_F32(Module.HALF, 320), COPY_BF16_F64(Module.HALF, 320), COPY_BF16_I64(Module.HALF, 320), COPY_BF16_I32(Module.HALF, 320), COPY_BF16_BOOL(Module.HALF, 320),
    COPY_F32_BF16(Module.HALF, 320), COPY_F64_BF16(Module.HALF, 320), COPY_I64_BF16(Module.HALF, 320), COPY_I32_BF16(Module.HALF, 320), COPY_BOOL_BF16(Module.HALF, 320),
    COPY_F16_F16(Module.HALF, 320), COPY_F16_BF16(Module.HALF, 320), COPY_BF16_F16(Module.HALF, 320), COPY_BF16_BF16(Module.HALF, 320),
    FILL_F16(Module.HALF, 328), FILL_BF16(Module.HALF, 328),

    // half_ops.cu: the element-wise, reduction and softmax templates instantiated for float16 and bfloat16 storage
    UNARY_F16(Module.HALF_OPS, 344), BINARY_F16_F16(Module.HALF_OPS, 344), BINARY_F16_BOOL(Module.HALF_OPS, 344),
    RELU_BACKWARD_F16(Module.HALF_OPS, 328), GELU_BACKWARD_F16(Module.HALF_OPS, 344), WHERE_F16(Module.HALF_OPS, 344),
    BIAS_ACT_F16(Module.HALF_OPS, 336), REDUCE_BLOCK_F16(Module.HALF_OPS, 360), REDUCE_THREAD_F16(Module.HALF_OPS, 360),
    REDUCE_FINISH_F16(Module.HALF_OPS, 360), SOFTMAX_F16(Module.HALF_OPS, 352),
    UNARY_BF16(Module.HALF_OPS, 344), BINARY_BF16_BF16(Module.HALF_OPS, 344), BINARY_BF16_BOOL(Module.HALF_OPS, 344),
    RELU_BACKWARD_BF16(Module.HALF_OPS, 328), GELU_BACKWARD_BF16(Module.HALF_OPS, 344), WHERE_BF16(Module.HALF_OPS, 344),
    BIAS_ACT_BF16(Module.HALF_OPS, 336), REDUCE_BLOCK_BF16(Module.HALF_OPS, 360), REDUCE_THREAD_BF16(Module.HALF_OPS, 360),
    REDUCE_FINISH_BF16(Module.HALF_OPS, 360), SOFTMAX_BF16(Module.HALF_OPS, 352),

    GEMM_F32(Module.GEMM, 104), GEMM_F64(Module.GEMM, 104);

    /** One PTX file under resources io/jgrad/cuda/ptx/, built from src/main/cuda/&lt;name&gt;.cu. */
    enum Module {
        ELEMENTWISE, REDUCE, INDEX, RANDOM, OPTIM, SCANSORT, ATTENTION, HALF, HALF_OPS, GEMM;

        String fileName() {
            return name().toLowerCase(Locale.ROOT) + ".ptx";
        }
    }

    final Module module;
    final String entry;
    final int argBytes;

    Kernel(Module module, int argBytes) {
        this.module = module;
        this.entry = name().toLowerCase(Locale.ROOT);
        this.argBytes = argBytes;
    }

    /** The variant of a family for one dtype, e.g. of("UNARY", FLOAT32) is UNARY_F32. */
    static Kernel of(String family, DType t) {
        Kernel[] variants = BY_DTYPE.get(family);
        Kernel k = variants == null ? null : variants[t.ordinal()];
        if (k == null) throw new IllegalArgumentException(family.toLowerCase(Locale.ROOT) + ": no CUDA kernel for " + t);
        return k;
    }

    /** The variant for two dtypes, e.g. of("COPY", FLOAT32, INT64) is COPY_F32_I64. */
    static Kernel of(String family, DType first, DType second) {
        Kernel[][] variants = BY_DTYPE_PAIR.get(family);
        Kernel k = variants == null ? null : variants[first.ordinal()][second.ordinal()];
        if (k == null) {
            throw new IllegalArgumentException(family.toLowerCase(Locale.ROOT) + ": no CUDA kernel for " + first + " and " + second);
        }
        return k;
    }

    // Looked up by family name on every launch, so built once: family -> variants indexed by DType.ordinal().
    private static final Map<String, Kernel[]> BY_DTYPE = new HashMap<>();
    private static final Map<String, Kernel[][]> BY_DTYPE_PAIR = new HashMap<>();

    static {
        int n = DType.values().length;
        for (Kernel k : values()) {
            String[] parts = k.name().split("_");
            int dtypes = 0;
            while (dtypes < parts.length && dtypeOf(parts[parts.length - 1 - dtypes]) != null) dtypes++;
            String family = String.join("_", Arrays.copyOf(parts, parts.length - dtypes));
            if (dtypes == 1) {
                BY_DTYPE.computeIfAbsent(family, f -> new Kernel[n])[dtypeOf(parts[parts.length - 1]).ordinal()] = k;
            } else if (dtypes == 2) {
                BY_DTYPE_PAIR.computeIfAbsent(family, f -> new Kernel[n][n])
                        [dtypeOf(parts[parts.length - 2]).ordinal()][dtypeOf(parts[parts.length - 1]).ordinal()] = k;
            }
        }
    }

    private static DType dtypeOf(String suffix) {
        for (DType t : DType.values()) if (suffix(t).equals(suffix)) return t;
        return null;
    }

    static String suffix(DType t) {
        return switch (t) {
            case FLOAT32 -> "F32";
            case FLOAT64 -> "F64";
            case INT64 -> "I64";
            case INT32 -> "I32";
            case BOOL -> "BOOL";
            case FLOAT16 -> "F16";
            case BFLOAT16 -> "BF16";
        };
    }
}
