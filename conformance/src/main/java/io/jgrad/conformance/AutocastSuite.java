package io.jgrad.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgrad.DType;
import io.jgrad.Functional;
import io.jgrad.Grad;
import io.jgrad.Tensor;
import io.jgrad.amp.Autocast;
import io.jgrad.amp.AutocastOp;
import io.jgrad.nn.BatchNorm1d;
import io.jgrad.nn.LayerNorm;
import io.jgrad.nn.Linear;
import io.jgrad.nn.Losses;
import io.jgrad.nn.MultiheadAttention;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link Autocast}: the dtype each op returns inside a scope against torch.autocast("cpu") (PyTorch 2.13), for
 * float32 and half-precision inputs; the gradients of float32 parameters; nesting, disabling and restoring; the
 * cast cache; and the numbers of a small MLP's forward and backward under bfloat16 and float16 autocast against
 * PyTorch's and against float32.
 */
public abstract class AutocastSuite extends DeviceSuite {
    private Tensor W;
    private Tensor B;

    /** Parameters [6, 8] and [6], made on the device under test. */
    @BeforeEach
    void parameters() {
        W = grid(6, 8, (o, i) -> Math.sin(0.3 * o + 0.7 * i)).requiresGrad(true);
        B = grid(1, 6, (z, o) -> 0.1 * o - 0.2).reshape(6).requiresGrad(true);
    }

    /** A float32 tensor [rows, cols] from a formula of the indices. */
    private static Tensor grid(int rows, int cols, java.util.function.BiFunction<Integer, Integer, Double> f) {
        float[] v = new float[rows * cols];
        for (int r = 0; r < rows; r++) for (int c = 0; c < cols; c++) v[r * cols + c] = (float) (double) f.apply(r, c);
        return Tensor.of(v, rows, cols);
    }

    private static Tensor x32() {
        return grid(4, 8, (i, j) -> Math.cos(0.7 * i + 0.3 * j) * 2);
    }

    /** The ops of the table, each applied to x [4, 8] (float32 or half) and parameters in float32. */
    private Map<String, Function<Tensor, Tensor>> ops() {
        Map<String, Function<Tensor, Tensor>> ops = new LinkedHashMap<>();
        Tensor targets = Tensor.of(new long[]{0, 0, 0, 0});
        Tensor zeros = Tensor.zeros(4, 8);
        Tensor img = grid(2 * 3 * 5, 5, (i, j) -> Math.sin(i + 0.5 * j)).reshape(2, 3, 5, 5);
        Tensor cw = grid(4 * 3 * 3, 3, (i, j) -> Math.cos(i - j) * 0.2).reshape(4, 3, 3, 3).requiresGrad(true);
        Tensor seq = grid(2 * 3, 6, (i, j) -> Math.sin(0.4 * i * j)).reshape(2, 3, 6);
        Tensor c1 = grid(4 * 3, 3, (i, j) -> Math.cos(i + j) * 0.3).reshape(4, 3, 3).requiresGrad(true);
        Tensor q = grid(8, 8, (i, j) -> Math.sin(i - 0.2 * j)).reshape(1, 2, 4, 8);
        MultiheadAttention mha = new MultiheadAttention(8, 2);
        LayerNorm ln = new LayerNorm(8);
        BatchNorm1d bn = new BatchNorm1d(8);
        ops.put("matmul", t -> t.matmul(W.t()));
        ops.put("linear", t -> Functional.linear(t, W, B, Functional.Activation.NONE));
        ops.put("linear_relu", t -> Functional.linear(t, W, B, Functional.Activation.RELU));
        ops.put("einsum", t -> Tensor.einsum("ij,kj->ik", t, W));
        ops.put("conv2d", t -> Functional.conv2d(img.to(t.dtype()), cw, null));
        ops.put("conv1d", t -> Functional.conv1d(seq.to(t.dtype()), c1, null));
        ops.put("conv_transpose2d", t -> Functional.convTranspose2d(img.to(t.dtype()), cw.transpose(0, 1), null, 1, 0));
        ops.put("sdpa", t -> Functional.scaledDotProductAttention(q.to(t.dtype()), q.to(t.dtype()), q.to(t.dtype())));
        ops.put("mha", t -> mha.forward(t.reshape(1, 4, 8), t.reshape(1, 4, 8), t.reshape(1, 4, 8), null, null, false));
        ops.put("softmax", t -> t.softmax(-1));
        ops.put("log_softmax", t -> t.logSoftmax(-1));
        ops.put("logsumexp", t -> t.logSumExp(-1, false));
        ops.put("cross_entropy", t -> Losses.crossEntropy(t, targets));
        ops.put("nll_loss", t -> Losses.nllLoss(t, targets));
        ops.put("mse_loss", t -> Losses.mse(t, zeros));
        ops.put("l1_loss", t -> Losses.l1(t, zeros));
        ops.put("bce_with_logits", t -> Losses.binaryCrossEntropyWithLogits(t, zeros));
        ops.put("layer_norm", ln::forward);
        ops.put("batch_norm", bn::forward);
        ops.put("sum", Tensor::sum);
        ops.put("mean", Tensor::mean);
        ops.put("prod", Tensor::prod);
        ops.put("norm", Tensor::norm);
        ops.put("cumsum", t -> t.cumsum(0));
        ops.put("exp", Tensor::exp);
        ops.put("log", t -> t.abs().log());
        ops.put("pow", t -> t.pow(2));
        ops.put("relu", Tensor::relu);
        ops.put("add_f32", t -> t.add(x32()));
        ops.put("cat_f32", t -> Tensor.cat(List.of(t, x32()), 0));
        ops.put("stack_f32", t -> Tensor.stack(List.of(t, x32()), 0));
        return ops;
    }

    // torch.autocast("cpu", dtype) in PyTorch 2.13, same ops, inputs float32: every lower-precision op gives the
    // autocast dtype, everything else float32.
    private static final Set<String> LOWER = Set.of("matmul", "linear", "linear_relu", "einsum", "conv2d", "conv1d",
            "conv_transpose2d", "sdpa", "mha");
    // With half inputs, PyTorch's CPU autocast leaves these in the half type; jgrad takes the CUDA list (and puts
    // mean and batch norm in float32 too), so they give float32. The losses, prod and the promoting ops give
    // float32 in both; relu stays in the input's dtype in both.
    private static final Set<String> JGRAD_FLOAT32_WHERE_TORCH_CPU_KEEPS_HALF = Set.of("softmax", "log_softmax", "logsumexp",
            "layer_norm", "batch_norm", "sum", "mean", "norm", "cumsum", "exp", "log", "pow");
    private static final Set<String> TORCH_CPU_FLOAT32_FOR_HALF_INPUTS = Set.of("cross_entropy", "nll_loss", "mse_loss", "l1_loss",
            "bce_with_logits", "prod", "add_f32", "cat_f32", "stack_f32");


    private static DType torchCpuDtype(String op, DType autocast, DType input) {
        if (LOWER.contains(op)) return autocast;
        if (input == DType.FLOAT32) return DType.FLOAT32;
        return TORCH_CPU_FLOAT32_FOR_HALF_INPUTS.contains(op) ? DType.FLOAT32 : input;
    }

    private void checkDtypes(DType autocast, DType input) {
        Map<String, Function<Tensor, Tensor>> ops = ops();
        StringBuilder wrong = new StringBuilder();
        for (var e : ops.entrySet()) {
            String op = e.getKey();
            DType torch = torchCpuDtype(op, autocast, input);
            DType want = JGRAD_FLOAT32_WHERE_TORCH_CPU_KEEPS_HALF.contains(op) ? DType.FLOAT32 : torch;
            DType got;
            try (Autocast ac = Autocast.enable(autocast)) {
                got = e.getValue().apply(x32().to(input)).dtype();
            }
            if (got != want) wrong.append(op).append(": ").append(got).append(", want ").append(want).append('\n');
        }
        assertEquals("", wrong.toString(), "under autocast " + autocast + " with " + input + " inputs");
    }

    @Test
    public void outputDtypesFollowPyTorchsLists() {
        checkDtypes(DType.BFLOAT16, DType.FLOAT32);
        checkDtypes(DType.BFLOAT16, DType.BFLOAT16);
        checkDtypes(DType.FLOAT16, DType.FLOAT32);
        checkDtypes(DType.FLOAT16, DType.FLOAT16);
    }

    @Test
    public void outsideAScopeEveryOpKeepsFloat32() {
        for (var e : ops().entrySet()) assertEquals(DType.FLOAT32, e.getValue().apply(x32()).dtype(), e.getKey());
    }

    @Test
    public void float64IsNeverCast() {
        Tensor a = x32().to(DType.FLOAT64);
        try (Autocast ac = Autocast.enable(DType.BFLOAT16)) {
            assertEquals(DType.FLOAT64, a.matmul(a.t()).dtype());
            assertEquals(DType.FLOAT64, a.softmax(-1).dtype());
            assertEquals(DType.FLOAT64, Tensor.cat(List.of(a, a), 0).dtype());
        }
    }

    @Test
    public void float32ParametersGetFloat32GradientsAndInputsTheirOwnDtype() {
        Tensor w = W.detach().requiresGrad(true), b = B.detach().requiresGrad(true);
        Tensor x = x32().requiresGrad(true);
        Tensor xh = x32().to(DType.BFLOAT16).requiresGrad(true);
        Tensor loss;
        try (Autocast ac = Autocast.enable(DType.BFLOAT16)) {
            Tensor h = Functional.linear(x, w, b, Functional.Activation.RELU);
            assertEquals(DType.BFLOAT16, h.dtype());
            loss = h.sum().add(Functional.linear(xh, w, null, Functional.Activation.NONE).mean());
        }
        assertEquals(DType.FLOAT32, loss.dtype(), "sum and mean run in float32");
        loss.backward();
        assertEquals(DType.FLOAT32, w.grad().dtype());
        assertEquals(DType.FLOAT32, b.grad().dtype());
        assertEquals(DType.FLOAT32, x.grad().dtype());
        assertEquals(DType.BFLOAT16, xh.grad().dtype());
    }

    @Test
    public void scopesNestAndRestoreEvenAfterAnException() {
        assertFalse(Autocast.isEnabled());
        assertNull(Autocast.dtype());
        try (Autocast outer = Autocast.enable(DType.BFLOAT16)) {
            assertTrue(Autocast.isEnabled());
            assertEquals(DType.BFLOAT16, Autocast.dtype());
            try (Autocast off = Autocast.disable()) {
                assertFalse(Autocast.isEnabled());
                assertEquals(DType.FLOAT32, x32().matmul(W.t()).dtype());
                try (Autocast half = Autocast.enable(DType.FLOAT16)) {
                    assertEquals(DType.FLOAT16, x32().matmul(W.t()).dtype());
                }
                assertFalse(Autocast.isEnabled());
            }
            assertEquals(DType.BFLOAT16, x32().matmul(W.t()).dtype());
            assertThrows(IllegalStateException.class, () -> {
                try (Autocast inner = Autocast.enable(DType.FLOAT16)) {
                    throw new IllegalStateException("inside");
                }
            });
            assertEquals(DType.BFLOAT16, Autocast.dtype(), "restored after the exception");
        }
        assertFalse(Autocast.isEnabled());
        assertEquals(DType.FLOAT32, x32().matmul(W.t()).dtype());
    }

    @Test
    public void scopesCloseInnermostFirstAndTakeOnlyHalfTypes() {
        Autocast outer = Autocast.enable(DType.BFLOAT16);
        Autocast inner = Autocast.disable();
        assertThrows(IllegalStateException.class, outer::close);
        inner.close();
        outer.close();
        outer.close(); // a second close does nothing
        assertFalse(Autocast.isEnabled());
        assertThrows(IllegalArgumentException.class, () -> Autocast.enable(DType.FLOAT32));
        assertThrows(IllegalArgumentException.class, () -> Autocast.enable(DType.FLOAT64));
        assertThrows(IllegalArgumentException.class, () -> Autocast.enable(DType.INT64));
        assertThrows(IllegalArgumentException.class, () -> Autocast.enable(null));
    }

    @Test
    public void aParameterIsCastOncePerScope() {
        Tensor w = W.detach().requiresGrad(true);
        Tensor x = x32();
        Tensor loss;
        try (Autocast ac = Autocast.enable(DType.BFLOAT16)) {
            Tensor first = Autocast.cast(AutocastOp.LINEAR, w)[0];
            assertSame(first, Autocast.cast(AutocastOp.MATMUL, w)[0], "the cached cast");
            assertEquals(1, Autocast.cachedCasts());
            // two layers sharing the weight, and a third use: one conversion of the weight [6, 8] in the graph (the
            // others are the activations' conversions to float32 for sum and mean)
            loss = Functional.linear(x, w, null, Functional.Activation.NONE)
                    .add(Functional.linear(x, w, null, Functional.Activation.NONE)).sum()
                    .add(Tensor.einsum("ij,kj->ik", x, w).mean());
            assertEquals(1, count(loss.toDot(), "ToDTypeBackward [6, 8]"), loss.toDot());
            // an in-place change (an optimizer step) makes the cached cast stale
            try (Grad.Mode g = Grad.disabled()) {
                w.mulInPlace(2);
            }
            Tensor after = Autocast.cast(AutocastOp.LINEAR, w)[0];
            assertNotSame(first, after);
            assertEquals(2 * first.to(DType.FLOAT32).toFloatArray()[3], after.to(DType.FLOAT32).toFloatArray()[3], 0.0);
            // a cast made with grad off carries no graph; with grad on it is made again
            Tensor noGraph;
            try (Grad.Mode g = Grad.disabled()) {
                w.mulInPlace(0.5);
                noGraph = Autocast.cast(AutocastOp.LINEAR, w)[0];
                assertFalse(noGraph.requiresGrad());
                assertSame(noGraph, Autocast.cast(AutocastOp.LINEAR, w)[0]);
            }
            Tensor withGraph = Autocast.cast(AutocastOp.LINEAR, w)[0];
            assertTrue(withGraph.requiresGrad());
            // tensors that are not float32 leaves requiring grad are cast anew each time
            assertNotSame(Autocast.cast(AutocastOp.LINEAR, x)[0], Autocast.cast(AutocastOp.LINEAR, x)[0]);
            assertEquals(1, Autocast.cachedCasts());
        }
        assertEquals(0, Autocast.cachedCasts(), "the outermost scope drops the cache");
        loss.backward();
        assertEquals(DType.FLOAT32, w.grad().dtype());
    }

    private static int count(String text, String word) {
        int n = 0;
        for (int at = text.indexOf(word); at >= 0; at = text.indexOf(word, at + 1)) n++;
        return n;
    }

    @Test
    public void modulesTakeHalfInputsOnlyInsideAScope() {
        Linear layer = new Linear(8, 6);
        Tensor xh = x32().to(DType.BFLOAT16);
        assertThrows(IllegalArgumentException.class, () -> layer.forward(xh), "a bfloat16 input meets float32 weights");
        try (Autocast ac = Autocast.enable(DType.BFLOAT16)) {
            assertEquals(DType.BFLOAT16, layer.forward(xh).dtype());
        }
    }

    @Test
    public void backwardRunsWithAutocastOff() {
        // A float32 product (made in a disabled scope) differentiated inside an enabled scope: its backward products
        // must stay float32, as they are when backward runs outside.
        float[][] grads = new float[2][];
        for (int inside = 0; inside < 2; inside++) {
            Tensor w = W.detach().requiresGrad(true);
            Tensor loss;
            try (Autocast ac = Autocast.enable(DType.BFLOAT16)) {
                try (Autocast off = Autocast.disable()) {
                    loss = Functional.linear(x32(), w, null, Functional.Activation.TANH).square().sum();
                }
                if (inside == 1) loss.backward();
            }
            if (inside == 0) loss.backward();
            assertEquals(DType.FLOAT32, w.grad().dtype());
            grads[inside] = w.grad().toFloatArray();
        }
        org.junit.jupiter.api.Assertions.assertArrayEquals(grads[0], grads[1]);
    }

    // ---- a small MLP, 8-16-4 with ReLU and cross-entropy, against torch.autocast("cpu") in PyTorch 2.13 ----
    // x[i][j] = 2 cos(0.7 i + 0.3 j), W1[o][i] = 0.4 sin(0.5 o + 0.9 i + 0.1), b1[o] = 0.05 o - 0.3,
    // W2[o][i] = 0.35 cos(0.3 o - 0.8 i), b2[o] = 0.1 - 0.02 o, targets [0, 3, 1, 2, 3]; each rounded to float32.
    private static final float[] TORCH_BF16_LOGITS = {
            -0.3515625f, -0.419921875f, -0.43359375f, -0.41015625f, -0.291015625f, -0.388671875f, -0.4375f,
            -0.447265625f, -0.1435546875f, -0.271484375f, -0.36328125f, -0.419921875f, 0.07470703125f, -0.07177734375f,
            -0.2041015625f, -0.3125f, 0.2734375f, -0.00098419189453125f, -0.26953125f, -0.5078125f
    };
    private static final double TORCH_BF16_LOSS = 1.4851373434066772;
    private static final float[] TORCH_BF16_GW1 = {
            0.0027008056640625f, -0.000255584716796875f, -0.00299072265625f, -0.00555419921875f, -0.007720947265625f,
            -0.009033203125f, -0.00958251953125f, -0.00927734375f, 0.01409912109375f, 0.0164794921875f,
            0.0172119140625f, 0.0164794921875f, 0.014404296875f, 0.01092529296875f, 0.006439208984375f,
            0.001434326171875f, 0.0169677734375f, 0.0233154296875f, 0.0272216796875f, 0.02880859375f, 0.028076171875f,
            0.024658203125f, 0.018798828125f, 0.0115966796875f, 0.078125f, 0.087890625f, 0.08935546875f, 0.0830078125f,
            0.06884765625f, 0.049072265625f, 0.024658203125f, -0.00189208984375f, 0.033935546875f, 0.036865234375f,
            0.036376953125f, 0.03271484375f, 0.0262451171875f, 0.017333984375f, 0.00689697265625f, -0.004180908203125f,
            -0.031005859375f, -0.036376953125f, -0.038330078125f, -0.036865234375f, -0.0322265625f, -0.024658203125f,
            -0.01483154296875f, -0.0037384033203125f, -0.0771484375f, -0.08740234375f, -0.09033203125f,
            -0.08447265625f, -0.0712890625f, -0.052001953125f, -0.0279541015625f, -0.00128936767578125f,
            -0.0654296875f, -0.0693359375f, -0.0673828125f, -0.058837890625f, -0.045166015625f, -0.0277099609375f,
            -0.007781982421875f, 0.012939453125f, -0.028076171875f, -0.02978515625f, -0.02880859375f,
            -0.0252685546875f, -0.0194091796875f, -0.01190185546875f, -0.0033416748046875f, 0.00555419921875f,
            0.05859375f, 0.058837890625f, 0.0537109375f, 0.043701171875f, 0.0299072265625f, 0.01348876953125f,
            -0.004180908203125f, -0.021484375f, 0.0303955078125f, 0.043701171875f, 0.052490234375f, 0.056884765625f,
            0.056640625f, 0.05078125f, 0.040283203125f, 0.026611328125f, 0.018310546875f, 0.0291748046875f,
            0.037109375f, 0.0419921875f, 0.043212890625f, 0.040283203125f, 0.033935546875f, 0.0244140625f,
            -0.005035400390625f, -0.003021240234375f, -0.000850677490234375f, 0.00144195556640625f, 0.003692626953125f,
            0.0054931640625f, 0.006805419921875f, 0.007568359375f, -0.025390625f, -0.033447265625f, -0.038330078125f,
            -0.0400390625f, -0.0380859375f, -0.03271484375f, -0.0242919921875f, -0.01385498046875f, -0.0302734375f,
            -0.043701171875f, -0.052490234375f, -0.05712890625f, -0.056884765625f, -0.051025390625f, -0.040771484375f,
            -0.0269775390625f, -0.0791015625f, -0.09326171875f, -0.09912109375f, -0.095703125f, -0.083984375f,
            -0.06494140625f, -0.039794921875f, -0.01123046875f
    };
    private static final float[] TORCH_BF16_GB1 = {
            0.0001220703125f, 0.005279541015625f, 0.00714111328125f, -0.046875f, -0.01904296875f, 0.020263671875f,
            0.04736328125f, 0.03466796875f, 0.014892578125f, 0.00213623046875f, -0.00714111328125f, -0.00640869140625f,
            -0.0019073486328125f, 0.0037841796875f, 0.007232666015625f, 0.0390625f
    };
    private static final float[] TORCH_BF16_GW2 = {
            -0.045654296875f, -0.0247802734375f, 0.004119873046875f, 0.00677490234375f, 0.04638671875f, 0.07080078125f,
            0.07666015625f, 0.0654296875f, 0.040771484375f, -0.00848388671875f, -0.05419921875f, -0.06494140625f,
            -0.05810546875f, -0.03466796875f, -0.0018157958984375f, 0.059814453125f, 0.007049560546875f,
            -0.00726318359375f, -0.01611328125f, 0.0054931640625f, 0.035888671875f, 0.054443359375f, 0.058349609375f,
            0.0498046875f, 0.0308837890625f, 0.01080322265625f, 0.0133056640625f, 0.006622314453125f,
            -0.00125885009765625f, -0.00927734375f, -0.01397705078125f, 0.0032501220703125f, 0.1484375f,
            0.12451171875f, 0.061279296875f, -0.006744384765625f, 0.01080322265625f, 0.0291748046875f, 0.041748046875f,
            0.0380859375f, 0.023681640625f, 0.00946044921875f, 0.09814453125f, 0.166015625f, 0.193359375f,
            0.1708984375f, 0.1064453125f, 0.029296875f, -0.109375f, -0.091796875f, -0.048828125f, -0.00555419921875f,
            -0.0927734375f, -0.154296875f, -0.1767578125f, -0.1533203125f, -0.09521484375f, -0.0118408203125f,
            -0.05712890625f, -0.10693359375f, -0.1328125f, -0.1259765625f, -0.08984375f, -0.091796875f
    };
    private static final float[] TORCH_BF16_GB2 = {0.09765625f, 0.05712890625f, 0.030029296875f, -0.1845703125f};
    private static final float[] TORCH_FP16_LOGITS = {
            -0.353759765625f, -0.41552734375f, -0.43408203125f, -0.40771484375f, -0.29345703125f, -0.38525390625f,
            -0.4365234375f, -0.443115234375f, -0.1453857421875f, -0.269775390625f, -0.36328125f, -0.4189453125f,
            0.07354736328125f, -0.07244873046875f, -0.2049560546875f, -0.313720703125f, 0.276123046875f,
            0.00139617919921875f, -0.266357421875f, -0.5048828125f
    };
    private static final double TORCH_FP16_LOSS = 1.4848459959030151;
    private static final float[] TORCH_FP16_GW1 = {
            0.00249481201171875f, -0.00018727779388427734f, -0.0028553009033203125f, -0.005275726318359375f,
            -0.007221221923828125f, -0.00852203369140625f, -0.009063720703125f, -0.00879669189453125f,
            0.013885498046875f, 0.0164337158203125f, 0.0175018310546875f, 0.01702880859375f, 0.01502227783203125f,
            0.0116729736328125f, 0.007289886474609375f, 0.0022487640380859375f, 0.0168609619140625f,
            0.023101806640625f, 0.0272674560546875f, 0.029022216796875f, 0.0281829833984375f, 0.024810791015625f,
            0.0192413330078125f, 0.01194000244140625f, 0.07861328125f, 0.0880126953125f, 0.089599609375f,
            0.08319091796875f, 0.0693359375f, 0.049285888671875f, 0.0248260498046875f, -0.0018548965454101562f,
            0.0341796875f, 0.03717041015625f, 0.036865234375f, 0.03326416015625f, 0.0266876220703125f,
            0.017730712890625f, 0.007183074951171875f, -0.004001617431640625f, -0.030975341796875f,
            -0.036224365234375f, -0.038238525390625f, -0.036865234375f, -0.03216552734375f, -0.0246124267578125f,
            -0.0148468017578125f, -0.0037555694580078125f, -0.077392578125f, -0.08770751953125f, -0.0902099609375f,
            -0.08465576171875f, -0.071533203125f, -0.052032470703125f, -0.027862548828125f, -0.0012035369873046875f,
            -0.0655517578125f, -0.06951904296875f, -0.0672607421875f, -0.05902099609375f, -0.045501708984375f,
            -0.02789306640625f, -0.00780487060546875f, 0.01297760009765625f, -0.0281219482421875f, -0.029815673828125f,
            -0.0288543701171875f, -0.0253143310546875f, -0.0195159912109375f, -0.011962890625f,
            -0.0033473968505859375f, 0.005565643310546875f, 0.05877685546875f, 0.05889892578125f, 0.05377197265625f,
            0.043853759765625f, 0.030029296875f, 0.0135040283203125f, -0.0042266845703125f, -0.021575927734375f,
            0.0305938720703125f, 0.04364013671875f, 0.05279541015625f, 0.057220458984375f, 0.056549072265625f,
            0.050811767578125f, 0.040557861328125f, 0.02667236328125f, 0.018585205078125f, 0.029296875f,
            0.03741455078125f, 0.042205810546875f, 0.043182373046875f, 0.04034423828125f, 0.033905029296875f,
            0.0244140625f, -0.0046844482421875f, -0.00278472900390625f, -0.0006299018859863281f, 0.001583099365234375f,
            0.0036525726318359375f, 0.00539398193359375f, 0.00666046142578125f, 0.007328033447265625f,
            -0.025146484375f, -0.033233642578125f, -0.038360595703125f, -0.040069580078125f, -0.038177490234375f,
            -0.03289794921875f, -0.024658203125f, -0.01422882080078125f, -0.030364990234375f, -0.04351806640625f,
            -0.052764892578125f, -0.057342529296875f, -0.0567626953125f, -0.051116943359375f, -0.04095458984375f,
            -0.0270843505859375f, -0.07940673828125f, -0.09344482421875f, -0.09912109375f, -0.095947265625f,
            -0.08416748046875f, -0.06488037109375f, -0.03985595703125f, -0.01122283935546875f
    };
    private static final float[] TORCH_FP16_GB1 = {
            -0.00016021728515625f, 0.0048980712890625f, 0.006977081298828125f, -0.047119140625f, -0.0192108154296875f,
            0.02032470703125f, 0.047576904296875f, 0.0347900390625f, 0.014923095703125f, 0.00222015380859375f,
            -0.00716400146484375f, -0.00641632080078125f, -0.0017604827880859375f, 0.003963470458984375f,
            0.007259368896484375f, 0.039215087890625f
    };
    private static final float[] TORCH_FP16_GW2 = {
            -0.046112060546875f, -0.025115966796875f, 0.00406646728515625f, 0.00698089599609375f, 0.046356201171875f,
            0.0711669921875f, 0.076904296875f, 0.06573486328125f, 0.040618896484375f, -0.00850677490234375f,
            -0.054351806640625f, -0.0653076171875f, -0.058685302734375f, -0.035675048828125f, -0.0018062591552734375f,
            0.0599365234375f, 0.007419586181640625f, -0.006923675537109375f, -0.0164337158203125f,
            0.005672454833984375f, 0.0357666015625f, 0.054473876953125f, 0.05853271484375f, 0.049957275390625f,
            0.030853271484375f, 0.0108184814453125f, 0.0135955810546875f, 0.00684356689453125f,
            -0.0012912750244140625f, -0.00911712646484375f, -0.01418304443359375f, 0.0031986236572265625f,
            0.148681640625f, 0.12445068359375f, 0.061004638671875f, -0.007080078125f, 0.0106353759765625f,
            0.028472900390625f, 0.040802001953125f, 0.0382080078125f, 0.0236053466796875f, 0.00942230224609375f,
            0.098388671875f, 0.166259765625f, 0.1927490234375f, 0.171142578125f, 0.106689453125f, 0.029388427734375f,
            -0.1099853515625f, -0.09234619140625f, -0.04864501953125f, -0.005573272705078125f, -0.09271240234375f,
            -0.154052734375f, -0.1761474609375f, -0.15380859375f, -0.09503173828125f, -0.01171875f, -0.0576171875f,
            -0.1077880859375f, -0.1326904296875f, -0.1263427734375f, -0.0906982421875f, -0.092529296875f
    };
    private static final float[] TORCH_FP16_GB2 = {
            0.0975341796875f, 0.057342529296875f, 0.030059814453125f, -0.1849365234375f
    };

    private record Mlp(Tensor logits, Tensor loss, Tensor[] grads) {
    }

    private static Mlp mlp(DType autocast) {
        Tensor x = grid(5, 8, (i, j) -> Math.cos(0.7 * i + 0.3 * j) * 2);
        Tensor w1 = grid(16, 8, (o, i) -> Math.sin(0.5 * o + 0.9 * i + 0.1) * 0.4).requiresGrad(true);
        Tensor b1 = grid(1, 16, (z, o) -> 0.05 * o - 0.3).reshape(16).requiresGrad(true);
        Tensor w2 = grid(4, 16, (o, i) -> Math.cos(0.3 * o - 0.8 * i) * 0.35).requiresGrad(true);
        Tensor b2 = grid(1, 4, (z, o) -> 0.1 - 0.02 * o).reshape(4).requiresGrad(true);
        Tensor y = Tensor.of(new long[]{0, 3, 1, 2, 3});
        Tensor logits, loss;
        try (Autocast ac = autocast == null ? Autocast.disable() : Autocast.enable(autocast)) {
            logits = Functional.linear(Functional.linear(x, w1, b1, Functional.Activation.RELU), w2, b2, Functional.Activation.NONE);
            loss = Losses.crossEntropy(logits, y);
        }
        loss.backward();
        return new Mlp(logits, loss, new Tensor[]{w1.grad(), b1.grad(), w2.grad(), b2.grad()});
    }

    /** Within {@code rel} of the reference's largest magnitude, element by element. */
    private static void assertNear(float[] want, float[] got, double rel, String what) {
        assertEquals(want.length, got.length, what);
        double scale = 0;
        for (float v : want) scale = Math.max(scale, Math.abs(v));
        for (int i = 0; i < want.length; i++) {
            double tol = rel * scale;
            if (!(Math.abs(got[i] - want[i]) <= tol)) {
                throw new AssertionError(what + ": element " + i + " is " + got[i] + ", want " + want[i] + " within " + tol);
            }
        }
    }

    @Test
    public void anMlpUnderBfloat16AndFloat16AutocastMatchesPyTorchAndFloat32() {
        Mlp f32 = mlp(null);
        for (DType dt : new DType[]{DType.BFLOAT16, DType.FLOAT16}) {
            boolean bf = dt == DType.BFLOAT16;
            Mlp half = mlp(dt);
            assertEquals(dt, half.logits.dtype());
            assertEquals(DType.FLOAT32, half.loss.dtype());
            // one bfloat16 rounding is 2^-9 relative; a product of 8-16 terms with its inputs rounded, a few of them
            double rel = bf ? 2e-2 : 4e-3;
            String at = dt + " autocast ";
            float[][] torch = bf ? new float[][]{TORCH_BF16_GW1, TORCH_BF16_GB1, TORCH_BF16_GW2, TORCH_BF16_GB2}
                    : new float[][]{TORCH_FP16_GW1, TORCH_FP16_GB1, TORCH_FP16_GW2, TORCH_FP16_GB2};
            assertNear(bf ? TORCH_BF16_LOGITS : TORCH_FP16_LOGITS, half.logits.to(DType.FLOAT32).toFloatArray(), rel, at + "logits vs PyTorch");
            assertNear(f32.logits.toFloatArray(), half.logits.to(DType.FLOAT32).toFloatArray(), rel, at + "logits vs float32");
            assertEquals(bf ? TORCH_BF16_LOSS : TORCH_FP16_LOSS, half.loss.item(), rel, at + "loss vs PyTorch");
            assertEquals(f32.loss.item(), half.loss.item(), rel, at + "loss vs float32");
            String[] names = {"W1", "b1", "W2", "b2"};
            for (int i = 0; i < 4; i++) {
                assertEquals(DType.FLOAT32, half.grads[i].dtype());
                assertNear(torch[i], half.grads[i].toFloatArray(), rel, at + "grad " + names[i] + " vs PyTorch");
                assertNear(f32.grads[i].toFloatArray(), half.grads[i].toFloatArray(), rel, at + "grad " + names[i] + " vs float32");
            }
        }
    }
}
