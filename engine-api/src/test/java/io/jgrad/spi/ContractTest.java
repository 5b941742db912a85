package io.jgrad.spi;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgrad.DType;
import io.jgrad.Device;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The SPI's argument contract, which every backend runs on entry: bad dtypes, shapes, axes and indices fail with a
 * message naming the op and what is wrong, and good arguments pass. (The backends' own checks, buffers and bounds,
 * are the kernel conformance suites' to test.)
 */
class ContractTest {
    /** A buffer that holds nothing: the contract looks only at dtypes and shapes. */
    private record Fake(DType dtype, long length) implements Buffer {
        @Override
        public Device device() {
            return Device.CPU;
        }

        @Override
        public boolean isClosed() {
            return false;
        }

        @Override
        public void close() {
        }
    }

    private static View v(DType t, int... shape) {
        long n = 1;
        for (int s : shape) n *= s;
        return View.contiguous(new Fake(t, n), shape);
    }

    private static final DType F32 = DType.FLOAT32, F64 = DType.FLOAT64, I64 = DType.INT64;

    private static void fails(Executable call, String... parts) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        for (String part : parts) assertTrue(e.getMessage().contains(part), "'" + e.getMessage() + "' should mention " + part);
    }

    @Test
    void elementwise() {
        assertDoesNotThrow(() -> Contract.unary(UnaryOp.EXP, v(F32, 2, 3), v(F32, 2, 3)));
        fails(() -> Contract.unary(UnaryOp.EXP, v(F32, 2, 3), v(F64, 2, 3)), "unary EXP", "float64");
        fails(() -> Contract.unary(UnaryOp.EXP, v(I64, 2), v(I64, 2)), "unary EXP", "int64");
        fails(() -> Contract.unary(UnaryOp.EXP, v(F32, 3), v(F32, 1, 3)), "unary EXP", "shapes differ", "[1, 3]", "[3]");
        assertDoesNotThrow(() -> Contract.binary(BinaryOp.LT, v(I64, 4), v(F32, 4), v(F32, 4)));
        fails(() -> Contract.binary(BinaryOp.ADD, v(F32, 4), v(F32, 4), v(F64, 4)), "binary ADD", "float64");
        fails(() -> Contract.binary(BinaryOp.ADD, v(F64, 4), v(F32, 4), v(F32, 4)), "binary ADD", "dtypes differ");
        fails(() -> Contract.binary(BinaryOp.DIV, v(I64, 4), v(I64, 4), v(I64, 4)), "binary DIV", "int64");
        assertDoesNotThrow(() -> Contract.binary(BinaryOp.MUL, v(I64, 4), v(I64, 4), v(I64, 4)));
        fails(() -> Contract.binary(BinaryOp.MUL, v(F32, 3, 4), v(F32, 3, 4), v(F32, 4, 3)), "binary MUL", "[4, 3]", "[3, 4]");
        assertDoesNotThrow(() -> Contract.where(v(F64, 2), v(I64, 2), v(F64, 2), v(F64, 2)));
        fails(() -> Contract.where(v(F64, 2), v(I64, 2), v(F32, 2), v(F64, 2)), "where", "float32");
        fails(() -> Contract.where(v(F64, 2), v(I64, 3), v(F64, 2), v(F64, 2)), "where", "condition", "[3]");
        fails(() -> Contract.copy(v(F64, 2, 2), v(I64, 4)), "copy", "[4]", "[2, 2]");
    }

    @Test
    void reductions() {
        assertDoesNotThrow(() -> Contract.reduce(ReduceOp.SUM, v(F32, 3, 1), v(F32, 3, 4), 1));
        assertDoesNotThrow(() -> Contract.reduce(ReduceOp.ARGMAX, v(I64, 1, 4), v(F64, 3, 4), 0));
        fails(() -> Contract.reduce(ReduceOp.SUM, v(F32, 3, 4), v(F32, 3, 4), 1), "reduce SUM", "[3, 1]");
        fails(() -> Contract.reduce(ReduceOp.SUM, v(F32, 3, 1), v(F32, 3, 4), 2), "reduce SUM", "axis 2");
        fails(() -> Contract.reduce(ReduceOp.ARGMAX, v(F64, 3, 1), v(F32, 3, 4), 1), "reduce ARGMAX", "int64");
        assertDoesNotThrow(() -> Contract.reduce(ReduceOp.SUM, v(F32, 1, 3), v(F32, 0, 3), 0));
        fails(() -> Contract.reduce(ReduceOp.MAX, v(F32, 1, 3), v(F32, 0, 3), 0), "reduce MAX", "empty axis 0");
    }

    @Test
    void gemm() {
        Buffer f = new Fake(F32, 16), d = new Fake(F64, 16);
        assertDoesNotThrow(() -> Contract.gemm(new Gemm(false, false, 1, 2, 2, 2, 1, f, 0, 2, 0, f, 0, 2, 0, 0, f, 0, 2, 0, false)));
        fails(() -> Contract.gemm(new Gemm(false, false, 1, 2, 2, 2, 1, f, 0, 2, 0, d, 0, 2, 0, 0, f, 0, 2, 0, false)),
                "gemm", "float64");
        fails(() -> Contract.gemm(new Gemm(false, false, 1, -2, 2, 2, 1, f, 0, 2, 0, f, 0, 2, 0, 0, f, 0, 2, 0, false)),
                "gemm", "negative", "m -2");
    }

    @Test
    void indexing() {
        assertDoesNotThrow(() -> Contract.gather(v(F32, 2, 5), v(F32, 2, 3), 1, v(I64, 2, 5)));
        fails(() -> Contract.gather(v(F32, 2, 5), v(F32, 2, 3), 1, v(F32, 2, 5)), "gather", "int64");
        fails(() -> Contract.gather(v(F32, 3, 2), v(F32, 2, 3), 1, v(I64, 3, 2)), "gather", "[3, 2]", "along axis 0");
        fails(() -> Contract.gather(v(F32, 2, 2), v(F32, 2, 3), 2, v(I64, 2, 2)), "gather", "dim 2");
        fails(() -> Contract.gather(v(F64, 2, 2), v(F32, 2, 3), 1, v(I64, 2, 2)), "gather", "float32", "float64");
        assertDoesNotThrow(() -> Contract.scatterAdd(v(F32, 2, 3), 1, v(I64, 2, 5), v(F32, 2, 5)));
        fails(() -> Contract.scatterAdd(v(F32, 2, 3), 1, v(I64, 2, 5), v(F32, 2, 4)), "scatterAdd", "[2, 5]", "[2, 4]");
        fails(() -> Contract.scatterAdd(v(F32, 2, 3), 1, v(I64, 2, 5), v(F64, 2, 5)), "scatterAdd", "float64");
    }

    @Test
    void fusedKernels() {
        assertDoesNotThrow(() -> Contract.softmax(v(F32, 2, 3), v(F32, 2, 3), 1, false));
        fails(() -> Contract.softmax(v(F32, 2, 3), v(F32, 2, 3), 2, true), "logSoftmax", "axis 2");
        fails(() -> Contract.softmax(v(I64, 2, 3), v(I64, 2, 3), 1, false), "softmax", "int64");
        assertDoesNotThrow(() -> Contract.crossEntropyForward(v(F32, 4), v(F32, 4, 3), v(F32, 4, 3), v(I64, 4)));
        fails(() -> Contract.crossEntropyForward(v(F32, 4), v(F32, 4, 3), v(F32, 4, 3), v(F32, 4)), "crossEntropyForward", "int64");
        fails(() -> Contract.crossEntropyBackward(v(F32, 4, 3), v(F32, 4, 3), v(I64, 5), v(F32, 4)), "crossEntropyBackward", "[n]");
        fails(() -> Contract.crossEntropyBackward(v(F64, 4, 3), v(F32, 4, 3), v(I64, 4), v(F32, 4)), "crossEntropyBackward", "float64");
        assertDoesNotThrow(() -> Contract.biasActivation(v(F32, 2, 3), v(F32, 2, 3), v(F32, 3), UnaryOp.RELU));
        fails(() -> Contract.biasActivation(v(F32, 2, 3), v(F32, 2, 3), v(F32, 2), UnaryOp.RELU), "biasActivation RELU", "bias");
        fails(() -> Contract.biasActivation(v(F32, 2, 3), v(F32, 2, 3), v(F64, 3), null), "biasActivation identity", "float32");
        assertDoesNotThrow(() -> Contract.biasActivationBackward(v(F32, 2, 3), null, v(F32, 2, 3), v(F32, 2, 3)));
        fails(() -> Contract.biasActivationBackward(v(F32, 2, 3), v(F32, 2), v(F32, 2, 3), v(F32, 2, 3)), "gradBias");
        assertDoesNotThrow(() -> Contract.batchNorm("batchNormForward", v(F32, 4, 3), v(F32, 4, 3), v(F32, 3), null));
        fails(() -> Contract.batchNorm("batchNormForward", v(F32, 0, 3), v(F32, 0, 3)), "batchNormForward", "n > 0");
        fails(() -> Contract.batchNorm("batchNormBackward", v(F32, 4, 3), v(F32, 4)), "batchNormBackward", "does not fit");
        fails(() -> Contract.adamUpdate(v(F32, 3), v(F32, 3), v(F32, 3), v(F32, 4)), "adamUpdate", "v has shape [4]");
        fails(() -> Contract.sgdUpdate(v(F32, 3), v(F32, 3), null, 0.9), "sgdUpdate", "momentum buffer");
        assertDoesNotThrow(() -> Contract.sgdUpdate(v(F32, 3), v(F32, 3), null, 0));
    }
}
