package io.jgrad.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jgrad.DType;
import io.jgrad.Device;
import io.jgrad.Functional;
import io.jgrad.Grad;
import io.jgrad.Tensor;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Bad input fails at the API boundary, before any kernel runs, with a message that names the op and the shapes,
 * dtypes or devices involved.
 */
public abstract class TensorErrorSuite extends TensorBaseSuite {

    @Test
    void mismatchedShapes() {
        assertFailsMentioning(IllegalArgumentException.class, () -> Tensor.zeros(2, 3).add(Tensor.zeros(4)), "add", "[2, 3]", "[4]");
        assertFailsMentioning(IllegalArgumentException.class, () -> Tensor.zeros(2, 3).matmul(Tensor.zeros(4, 5)),
                "matmul", "[2, 3]", "[4, 5]");
        assertFailsMentioning(IllegalArgumentException.class, () -> Tensor.zeros(3).matmul(Tensor.zeros(4)), "matmul", "[3]", "[4]");
        assertFailsMentioning(IllegalArgumentException.class, () -> Tensor.zeros(2, 2, 3).matmul(Tensor.zeros(3, 3, 1)),
                "matmul", "[2, 2, 3]", "[3, 3, 1]");
        assertFailsMentioning(IllegalArgumentException.class, () -> Tensor.where(Tensor.zeros(DType.BOOL, 3), Tensor.zeros(2), Tensor.zeros(2)),
                "where", "[3]", "[2]");
        assertFailsMentioning(IllegalArgumentException.class, () -> Tensor.cat(List.of(Tensor.zeros(2, 3), Tensor.zeros(2, 4)), 0),
                "cat", "[2, 3]", "[2, 4]");
        assertFailsMentioning(IllegalArgumentException.class, () -> Tensor.stack(List.of(Tensor.zeros(2), Tensor.zeros(3)), 0),
                "stack", "[2]", "[3]");
        assertFailsMentioning(IllegalArgumentException.class, () -> Tensor.zeros(2, 3).expand(4, 3), "expand", "[2, 3]", "[4, 3]");
        assertFailsMentioning(IllegalArgumentException.class, () -> Tensor.zeros(3).addInPlace(Tensor.zeros(2, 3)),
                "addInPlace", "[2, 3]", "[3]");
    }

    @Test
    void wrongDtypes() {
        // mixed dtypes promote (float32 + float64 is float64) and integers have arithmetic; what stays refused:
        assertFailsMentioning(IllegalArgumentException.class, () -> Tensor.of(new long[]{1}).exp(), "exp", "int64");
        assertFailsMentioning(IllegalArgumentException.class, () -> Tensor.of(new long[]{2}).pow(Tensor.of(new long[]{1})),
                "pow", "int64");
        assertFailsMentioning(IllegalArgumentException.class, () -> Tensor.of(new boolean[]{true}).sub(Tensor.of(new boolean[]{true})),
                "sub", "bool");
        assertFailsMentioning(IllegalArgumentException.class, () -> Tensor.where(Tensor.zeros(2), Tensor.zeros(2), Tensor.zeros(2)),
                "where", "bool", "float32");
        assertFailsMentioning(IllegalArgumentException.class, () -> Tensor.zeros(2).maskedFill(Tensor.of(new long[]{1, 0}), 1),
                "maskedFill", "bool", "int64");
        assertFailsMentioning(IllegalArgumentException.class, () -> Tensor.zeros(3).indexSelect(0, Tensor.of(new float[]{0})),
                "indexSelect", "int64", "int32", "float32");
        assertFailsMentioning(IllegalArgumentException.class, () -> Tensor.zeros(3, 2).gather(1, Tensor.zeros(3, 1)),
                "gather", "int64", "int32", "float32");
        assertFailsMentioning(IllegalArgumentException.class, () -> Tensor.zeros(2, 3).matmul(Tensor.zeros(DType.FLOAT64, 3, 2)),
                "matmul", "float32", "float64");
        assertFailsMentioning(IllegalArgumentException.class, () -> Tensor.of(new long[]{1, 2}).mean(), "mean", "int64");
        assertFailsMentioning(IllegalArgumentException.class, () -> Tensor.of(new long[]{1, 2}, 1, 2).var(1, false), "var", "int64");
        assertFailsMentioning(IllegalArgumentException.class,
                () -> Functional.crossEntropy(Tensor.zeros(2, 3), Tensor.zeros(2)), "crossEntropy", "int64", "float32");
    }

    @Test
    void backwardOnNonScalarWithoutGradient() {
        Tensor x = Tensor.ones(2, 2).requiresGrad(true);
        assertFailsMentioning(IllegalArgumentException.class, () -> x.mul(2).backward(), "backward", "[2, 2]");
        assertFailsMentioning(IllegalArgumentException.class, () -> x.mul(2).backward(Tensor.ones(4)), "backward", "[4]", "[2, 2]");
    }

    @Test
    void outOfRangeDimensionsAndIndices() {
        Tensor t = Tensor.zeros(2, 3);
        assertFailsMentioning(IndexOutOfBoundsException.class, () -> t.sum(5, false), "sum", "5", "[2, 3]");
        assertFailsMentioning(IndexOutOfBoundsException.class, () -> t.transpose(0, -3), "transpose", "-3", "[2, 3]");
        assertFailsMentioning(IndexOutOfBoundsException.class, () -> t.softmax(2), "softmax", "2", "[2, 3]");
        assertFailsMentioning(IndexOutOfBoundsException.class, () -> t.select(1, 3), "select", "3");
        assertFailsMentioning(IndexOutOfBoundsException.class, () -> t.unsqueeze(4), "unsqueeze", "4");
        assertFailsMentioning(IndexOutOfBoundsException.class, () -> t.size(2), "size", "2");
        assertBadIndex(() -> t.indexSelect(0, Tensor.of(new long[]{0, 2})), "indexSelect", "2", "[2, 3]");
        assertBadIndex(() -> t.gather(1, Tensor.of(new long[]{-1, 0}, 2, 1)), "gather", "-1", "[2, 3]");
        assertBadIndex(() -> Functional.crossEntropy(t, Tensor.of(new long[]{0, 3})), "crossEntropy", "3", "[2, 3]");
        assertFailsMentioning(IllegalArgumentException.class, () -> t.permute(0, 0), "permute", "repeats");
        assertFailsMentioning(IllegalArgumentException.class, () -> t.permute(0), "permute", "[2, 3]");
        assertFailsMentioning(IllegalArgumentException.class, () -> t.slice(0, 0, 2, 0), "slice", "step");
    }

    /**
     * Host memory is checked before the kernel runs, naming op, index and shape. A device checks in its kernel and
     * reports at the next synchronisation (here, reading the result), naming the index: a pre-check there would
     * cost a synchronising download on every call.
     */
    private void assertBadIndex(java.util.function.Supplier<Tensor> op, String name, String index, String shape) {
        if (device().equals(Device.CPU)) {
            assertFailsMentioning(IndexOutOfBoundsException.class, op::get, name, index, shape);
        } else {
            assertFailsMentioning(IndexOutOfBoundsException.class, () -> op.get().toDoubleArray(), index);
        }
    }

    @Test
    void impossibleReshapesAndViews() {
        Tensor t = Tensor.zeros(2, 3);
        assertFailsMentioning(IllegalArgumentException.class, () -> t.reshape(4, 4), "reshape", "[4, 4]", "[2, 3]");
        assertFailsMentioning(IllegalArgumentException.class, () -> t.reshape(-1, 4), "reshape", "[-1, 4]", "[2, 3]");
        assertFailsMentioning(IllegalArgumentException.class, () -> t.reshape(-1, -1), "reshape", "-1");
        assertFailsMentioning(IllegalArgumentException.class, () -> t.t().view(6), "view", "strides", "reshape()");
        assertFailsMentioning(IllegalArgumentException.class, () -> Tensor.zeros(3, 1).expand(3, 2).fill(1), "fill", "expanded");
    }

    @Test
    void otherBadArguments() {
        assertFailsMentioning(IllegalArgumentException.class, () -> Tensor.zeros(2).item(), "item", "[2]");
        assertFailsMentioning(IllegalArgumentException.class, () -> Tensor.arange(0, 1, 0), "arange", "step");
        assertFailsMentioning(IllegalArgumentException.class, () -> Tensor.zeros(2).clamp(1, 0), "clamp");
        assertFailsMentioning(IllegalArgumentException.class, () -> Tensor.of(new float[]{1, 2, 3}, 2, 2), "Tensor.of", "3", "[2, 2]");
        assertFailsMentioning(IllegalArgumentException.class, () -> Tensor.zeros(2, -1), "negative", "[2, -1]");
        assertFailsMentioning(IllegalArgumentException.class, () -> Tensor.ones(2).setGrad(Tensor.ones(3)), "setGrad", "[3]", "[2]");
        assertFailsMentioning(IllegalArgumentException.class, () -> Tensor.zeros(0).max(), "max", "[0]");
        assertFailsMentioning(IllegalArgumentException.class, () -> Tensor.zeros(1, 3).var(0, false), "var");
        assertFailsMentioning(IllegalArgumentException.class, () -> Tensor.cat(List.of(Tensor.scalar(1f)), 0), "cat", "rank 0");
        assertFailsMentioning(IllegalArgumentException.class,
                () -> Functional.linear(Tensor.zeros(2, 3), Tensor.zeros(4, 5), null, Functional.Activation.NONE), "linear", "[2, 3]", "[4, 5]");
        assertFailsMentioning(IllegalArgumentException.class,
                () -> Functional.biasActivation(Tensor.zeros(2, 3), Tensor.zeros(4), Functional.Activation.RELU), "biasActivation", "[4]");
    }

    /**
     * Shapes whose element count overflows a long (here 2^65 elements, or a product that wraps around to exactly 4)
     * are refused by every op that makes one, as PyTorch does; before, they gave tensors with a wrong numel().
     */
    @Test
    void shapesWhoseElementCountOverflowsALongAreRefused() {
        int[] huge = {8, 16, 1610612736, 1879048192}; // 2^65 elements: wraps to 0
        int[] wrapsToFour = {111620, 8681, 49477, 384773}; // the product is 4 modulo 2^64
        assertFailsMentioning(IllegalArgumentException.class, () -> Tensor.zeros(huge), "full", str(huge), "long");
        assertFailsMentioning(IllegalArgumentException.class, () -> Tensor.ones(DType.FLOAT64, huge), "full", str(huge));
        assertFailsMentioning(IllegalArgumentException.class, () -> Tensor.rand(huge), "random", str(huge));
        assertFailsMentioning(IllegalArgumentException.class, () -> Tensor.of(new float[4], wrapsToFour), "Tensor.of", str(wrapsToFour));
        assertFailsMentioning(IllegalArgumentException.class, () -> Tensor.of(new long[4], wrapsToFour), "Tensor.of", str(wrapsToFour));
        Tensor four = Tensor.zeros(4);
        assertFailsMentioning(IllegalArgumentException.class, () -> four.reshape(wrapsToFour), "reshape", str(wrapsToFour));
        assertFailsMentioning(IllegalArgumentException.class, () -> four.view(wrapsToFour), "view", str(wrapsToFour));
        assertFailsMentioning(IllegalArgumentException.class, () -> four.reshape(111620, 8681, -1, 49477, 384773), "reshape");
        Tensor one = Tensor.ones(1, 1, 1, 1);
        assertFailsMentioning(IllegalArgumentException.class, () -> one.expand(huge), "expand", str(huge));
        assertFailsMentioning(IllegalArgumentException.class, () -> io.jgrad.Shape.of(huge), "Shape.of", str(huge));
        // a zero size does not excuse the others: their strides would still overflow
        assertFailsMentioning(IllegalArgumentException.class, () -> Tensor.zeros(0, 2147483647, 2147483647, 2147483647), "full");
        // a large but countable broadcast view is fine; flattening it past the largest size is refused, naming flatten
        Tensor wide = Tensor.ones(1, 1).expand(65536, 65536);
        assertEquals(1L << 32, wide.numel());
        assertFailsMentioning(IllegalArgumentException.class, () -> wide.unsqueeze(0).flatten(1, 2), "flatten", "4294967296");
        assertFailsMentioning(IllegalArgumentException.class, wide::flatten, "4294967296");
        assertFailsMentioning(IllegalArgumentException.class,
                () -> Tensor.cat(List.of(Tensor.ones(1).expand(Integer.MAX_VALUE), Tensor.ones(1)), 0), "cat", "2147483648");
    }

    @Test
    void arangeRefusesNonFiniteBounds() {
        assertFailsMentioning(IllegalArgumentException.class, () -> Tensor.arange(0, Double.NaN, 1), "arange", "NaN");
        assertFailsMentioning(IllegalArgumentException.class, () -> Tensor.arange(Double.NaN, 3, 1), "arange", "NaN");
        assertFailsMentioning(IllegalArgumentException.class, () -> Tensor.arange(0, Double.POSITIVE_INFINITY, 1), "arange", "Infinity");
        assertFailsMentioning(IllegalArgumentException.class, () -> Tensor.arange(Double.NEGATIVE_INFINITY, 0, 1), "arange", "Infinity");
        assertFailsMentioning(IllegalArgumentException.class, () -> Tensor.arange(0, 3, Double.POSITIVE_INFINITY), "arange", "Infinity");
        assertEquals(3, Tensor.arange(0, 3, 1).numel());
    }

    /** As in PyTorch, narrow gives exactly {@code length} elements or fails; it does not clamp like slice. */
    @Test
    void narrowRefusesARangePastTheDimension() {
        Tensor t = Tensor.zeros(6, 2);
        assertFailsMentioning(IndexOutOfBoundsException.class, () -> t.narrow(0, 4, 5), "narrow", "4", "5", "6");
        assertFailsMentioning(IndexOutOfBoundsException.class, () -> t.narrow(0, 7, 0), "narrow", "7");
        assertFailsMentioning(IllegalArgumentException.class, () -> t.narrow(0, 0, -1), "narrow", "-1");
        assertFailsMentioning(IndexOutOfBoundsException.class, () -> t.narrow(0, -7, 1), "narrow", "-7");
        assertEquals(io.jgrad.Shape.of(2, 2), t.narrow(0, 4, 2).shape());
        assertEquals(io.jgrad.Shape.of(0, 2), t.narrow(0, 6, 0).shape());
        assertEquals(io.jgrad.Shape.of(2, 2), t.narrow(0, -2, 2).shape()); // a negative start counts from the end
    }

    @Test
    void closedTensorsCannotBeUsed() {
        Tensor t = Tensor.ones(2);
        t.close();
        assertFailsMentioning(IllegalStateException.class, () -> t.add(1), "closed", "[2]");
        assertFailsMentioning(IllegalStateException.class, () -> t.matmul(t), "closed");
        assertFailsMentioning(IllegalStateException.class, t::toFloatArray, "closed");
        try (Grad.Mode ignored = Grad.disabled()) {
            assertFailsMentioning(IllegalStateException.class, () -> t.fill(0), "closed");
        }
    }

    /** With a second real device (the CPU next to an accelerator), a mixed op names both devices. */
    @Test
    void mixingDevicesNamesBoth() {
        Assumptions.assumeFalse(device().equals(Device.CPU), "needs a device other than the CPU; the CPU run uses a fake device");
        Tensor here = Tensor.ones(2);
        Tensor cpu = Tensor.ones(2).to(Device.CPU);
        assertFailsMentioning(IllegalArgumentException.class, () -> here.add(cpu), "add", device().toString(), "cpu");
        assertFailsMentioning(IllegalArgumentException.class, () -> here.matmul(cpu), "matmul", device().toString(), "cpu");
    }
}
