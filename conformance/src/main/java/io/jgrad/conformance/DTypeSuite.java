package io.jgrad.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgrad.DType;
import io.jgrad.Tensor;
import io.jgrad.io.Safetensors;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The tensor-level dtype system: int32 and bool factories and accessors, conversions, bool masks (where, maskedFill,
 * logical ops), integer arithmetic and reductions, int64 arange, int32 indices, printing and safetensors. Expected
 * values are PyTorch 2.13's for the same calls.
 */
public abstract class DTypeSuite extends TensorBaseSuite {

    @Test
    void factoriesAndAccessorsForInt32AndBool() {
        Tensor i = Tensor.of(new int[]{1, -20, 3, Integer.MIN_VALUE}, 2, 2);
        assertEquals(DType.INT32, i.dtype());
        assertArrayEquals(new int[]{1, -20, 3, Integer.MIN_VALUE}, i.toIntArray());
        assertArrayEquals(new long[]{1, -20, 3, Integer.MIN_VALUE}, i.toLongArray());
        assertArrayEquals(new boolean[]{true, true, true, true}, i.toBooleanArray());
        Tensor b = Tensor.of(new boolean[]{true, false, false, true});
        assertEquals(DType.BOOL, b.dtype());
        assertArrayEquals(new boolean[]{true, false, false, true}, b.toBooleanArray());
        assertArrayEquals(new double[]{1, 0, 0, 1}, b.toDoubleArray());
        assertTrue(Tensor.scalar(true).itemBoolean());
        assertEquals(7L, Tensor.scalar(7L).itemLong());
        assertEquals(-20L, i.select(0, 0).select(0, 1).itemLong());
        // a strided view downloads in row-major order
        assertArrayEquals(new int[]{1, 3, -20, Integer.MIN_VALUE}, i.t().toIntArray());
        assertArrayEquals(new boolean[]{true, false, false, true}, b.reshape(2, 2).t().toBooleanArray());
    }

    @Test
    void conversionsCastAsPyTorchDoes() {
        Tensor f = Tensor.of(new float[]{1.5f, -1.5f, Float.NaN, 0f, 2.9f, -2.9f});
        assertArrayEquals(new boolean[]{true, true, true, false, true, true}, f.to(DType.BOOL).toBooleanArray(), "!= 0, NaN true");
        assertArrayEquals(new int[]{2, -2}, Tensor.of(new float[]{2.9f, -2.9f}).to(DType.INT32).toIntArray(), "toward zero");
        assertArrayEquals(new int[]{1, 0}, Tensor.of(new boolean[]{true, false}).to(DType.INT32).toIntArray());
        assertArrayEquals(new int[]{(int) (1L << 33) + 5}, Tensor.of(new long[]{(1L << 33) + 5}).to(DType.INT32).toIntArray(),
                "int64 -> int32 keeps the low 32 bits");
        assertArrayEquals(new double[]{1, 0}, Tensor.of(new boolean[]{true, false}).to(DType.FLOAT64).toDoubleArray());
    }

    @Test
    void comparisonsGiveBoolMasksForWhereAndMaskedFill() {
        Tensor x = Tensor.of(new float[]{1, 2, 3, 4}).requiresGrad(true);
        Tensor m = Tensor.of(new boolean[]{true, false, false, true});
        Tensor y = x.maskedFill(m, -1.5);
        assertExactly(new double[]{-1.5, 2, 3, -1.5}, y, "maskedFill");
        assertEquals(DType.FLOAT32, y.dtype());
        y.sum().backward();
        assertExactly(new double[]{0, 1, 1, 0}, x.grad(), "the gradient flows where the mask is false");
        // a broadcast mask; a mask that would grow the input is refused
        Tensor z = Tensor.zeros(2, 3).maskedFill(Tensor.of(new boolean[]{true, false, true}), 7);
        assertExactly(new double[]{7, 0, 7, 7, 0, 7}, z, "broadcast mask");
        assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(3).maskedFill(Tensor.of(new boolean[]{true, false, true, true, false, true}, 2, 3), 1));
        Tensor w = Tensor.where(x.gt(2.5), x, 0.0);
        assertExactly(new double[]{0, 0, 3, 4}, w, "where with a comparison and a scalar");
        assertEquals(DType.BOOL, x.gt(2.5).dtype());
    }

    @Test
    void logicalOpsReadNonZeroAsTrue() {
        Tensor a = Tensor.of(new float[]{0, 1, Float.NaN});
        Tensor b = Tensor.of(new long[]{1, 1, 1});
        assertArrayEquals(new boolean[]{false, true, true}, a.logicalAnd(b).toBooleanArray());
        assertArrayEquals(new boolean[]{true, true, true}, a.logicalOr(b).toBooleanArray());
        assertArrayEquals(new boolean[]{true, false}, Tensor.of(new long[]{0, 2}).logicalNot().toBooleanArray());
        assertArrayEquals(new boolean[]{true, false},
                Tensor.of(new long[]{0, 2}).logicalXor(Tensor.of(new float[]{1, 1})).toBooleanArray());
        assertEquals(DType.BOOL, a.logicalAnd(b).dtype());
    }

    @Test
    void integerArithmeticNegAbsAndReductions() {
        Tensor i = Tensor.of(new int[]{-7, 7, Integer.MIN_VALUE});
        assertArrayEquals(new int[]{7, -7, Integer.MIN_VALUE}, i.neg().toIntArray(), "neg wraps at MIN_VALUE");
        assertArrayEquals(new int[]{7, 7, Integer.MIN_VALUE}, i.abs().toIntArray(), "abs keeps MIN_VALUE, as in PyTorch");
        assertEquals(DType.INT32, i.abs().dtype());
        assertThrows(IllegalArgumentException.class, () -> Tensor.of(new boolean[]{true}).neg());
        Tensor s = Tensor.of(new boolean[]{true, true, false}).sum();
        assertEquals(DType.INT64, s.dtype(), "sums of bool are int64");
        assertEquals(2L, s.itemLong());
        assertEquals(DType.INT64, Tensor.of(new int[]{1, 2}).sum().dtype(), "sums of int32 are int64");
        Tensor mx = Tensor.of(new int[]{3, -7}).max();
        assertEquals(DType.INT32, mx.dtype());
        assertEquals(3L, mx.itemLong());
        assertEquals(1L, Tensor.of(new int[]{3, -7}).argmin().itemLong());
        Tensor l = Tensor.of(new long[]{7, -7});
        assertArrayEquals(new long[]{3, -4}, l.floorDivide(2L).toLongArray());
        assertArrayEquals(new long[]{1, 1}, l.remainder(2L).toLongArray());
        assertArrayEquals(new long[]{-1, -1}, l.remainder(-2L).toLongArray(), "the divisor's sign (Python: 7 % -2 == -7 % -2 == -1)");
        assertArrayEquals(new long[]{9, -5}, l.add(2L).toLongArray());
        assertEquals(DType.FLOAT32, l.div(2L).dtype(), "true division of integers gives float32");
        assertEquals(DType.INT32, Tensor.of(new int[]{1}).mul(3L).dtype(), "a Java long does not promote int32");
    }

    @Test
    void remainderIsDifferentiableForFloats() {
        Tensor x = Tensor.of(new float[]{5, -7}).requiresGrad(true);
        Tensor y = Tensor.of(new float[]{3, 2}).requiresGrad(true);
        Tensor r = x.remainder(y);
        assertExactly(new double[]{2, 1}, r, "remainder");
        r.sum().backward();
        assertExactly(new double[]{1, 1}, x.grad(), "d/dx");
        assertExactly(new double[]{-1, 4}, y.grad(), "d/dy = -floor(x / y)");
        assertFalse(x.floorDivide(y).requiresGrad(), "floor division is not differentiable");
    }

    @Test
    void arangeOfIntegersIsInt64() {
        Tensor a = Tensor.arange(5);
        assertEquals(DType.INT64, a.dtype());
        assertArrayEquals(new long[]{0, 1, 2, 3, 4}, a.toLongArray());
        assertArrayEquals(new long[]{1, 4, 7}, Tensor.arange(1, 10, 3).toLongArray());
        assertArrayEquals(new long[]{5, 3, 1}, Tensor.arange(5, 0, -2).toLongArray());
        assertEquals(0, Tensor.arange(3, 1, 1).numel());
        assertEquals(DType.FLOAT32, Tensor.arange(0, 5, 1.0).dtype(), "a double argument gives float32");
    }

    @Test
    void int32IndicesSelectAndGather() {
        Tensor x = Tensor.of(new float[]{10, 20, 30, 40, 50, 60}, 2, 3).requiresGrad(true);
        Tensor picked = x.indexSelect(1, Tensor.of(new int[]{2, 0}));
        assertExactly(new double[]{30, 10, 60, 40}, picked, "indexSelect with int32");
        Tensor g = x.gather(1, Tensor.of(new int[]{1, 1, 0, 2}, 2, 2));
        assertExactly(new double[]{20, 20, 40, 60}, g, "gather with int32");
        g.sum().backward();
        assertExactly(new double[]{0, 2, 0, 1, 0, 1}, x.grad(), "gather's gradient");
        Tensor bools = Tensor.of(new boolean[]{true, false, true}).indexSelect(0, Tensor.of(new long[]{2, 1}));
        assertArrayEquals(new boolean[]{true, false}, bools.toBooleanArray(), "indexSelect of bool data");
    }

    @Test
    void printsLikePyTorch() {
        assertEquals("tensor([  1, -20,   3], dtype=int32)", Tensor.of(new int[]{1, -20, 3}).toString());
        assertEquals("tensor([[ True, False],\n        [False,  True]])",
                Tensor.of(new boolean[]{true, false, false, true}, 2, 2).toString());
        assertEquals("tensor(5)", Tensor.scalar(5L).toString());
        assertEquals("tensor(True)", Tensor.scalar(true).toString());
        assertEquals("tensor([], dtype=bool)", Tensor.of(new boolean[0]).toString());
        assertEquals("tensor([   0,    1,    2,  ..., 1997, 1998, 1999])", Tensor.arange(2000).toString());
    }

    @Test
    void safetensorsStoresI32AndBool() throws Exception {
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("mask", Tensor.of(new boolean[]{true, false, true}));
        m.put("ids", Tensor.of(new int[]{7, -1}, 2, 1));
        m.put("w", Tensor.of(new double[]{0.5}));
        byte[] bytes = Safetensors.toBytes(m, null);
        String header = new String(bytes, 8, (int) ByteBuffer.wrap(bytes, 0, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong(),
                StandardCharsets.UTF_8);
        assertTrue(header.contains("\"dtype\":\"BOOL\"") && header.contains("\"dtype\":\"I32\""), header);
        Map<String, Tensor> back = Safetensors.read(ByteBuffer.wrap(bytes)).tensors();
        assertEquals(DType.BOOL, back.get("mask").dtype());
        assertArrayEquals(new boolean[]{true, false, true}, back.get("mask").toBooleanArray());
        assertEquals(DType.INT32, back.get("ids").dtype());
        assertArrayEquals(new int[]{7, -1}, back.get("ids").toIntArray());
        assertEquals(2, back.get("ids").dim());
        // the data section: 8-byte types first, then int32 (4), then bool (1 byte each, 0 or 1)
        int dataStart = bytes.length - (8 + 8 + 3);
        assertArrayEquals(new byte[]{1, 0, 1}, java.util.Arrays.copyOfRange(bytes, bytes.length - 3, bytes.length));
        assertEquals(7, ByteBuffer.wrap(bytes, dataStart + 8, 4).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt());
    }
}
