package io.jgrad.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgrad.Device;
import io.jgrad.Tensor;
import org.junit.jupiter.api.Test;

/** toString prints like PyTorch; toDot shows every op with its shape, data and gradient. */
public abstract class TensorPrintSuite extends TensorBaseSuite {

    /** PyTorch appends the device for anything but the CPU. */
    private String dev() {
        return device().equals(Device.CPU) ? "" : ", device='" + device() + "'";
    }

    @Test
    void printsLikePyTorch() {
        assertEquals("tensor([[1., 2.],\n        [3., 4.]]" + dev() + ")", Tensor.of(new float[]{1, 2, 3, 4}, 2, 2).toString());
        assertEquals("tensor([0.1000, 0.2000]" + dev() + ", requires_grad=True)",
                Tensor.of(new float[]{0.1f, 0.2f}).requiresGrad(true).toString());
        assertEquals("tensor([ 1.5000, -2.2500]" + dev() + ")", Tensor.of(new float[]{1.5f, -2.25f}).toString());
        assertEquals("tensor([ 1., -2.]" + dev() + ")", Tensor.of(new float[]{1, -2}).toString());
        assertEquals("tensor([1, 2, 3]" + dev() + ")", Tensor.of(new long[]{1, 2, 3}).toString());
        assertEquals("tensor(3.5000" + dev() + ")", Tensor.scalar(3.5f).toString());
        assertEquals("tensor([1.0000e-05, 1.0000e+00]" + dev() + ")", Tensor.of(new float[]{1e-5f, 1}).toString());
        assertEquals("tensor([1.0000e+00, 2.0000e+03]" + dev() + ")", Tensor.of(new float[]{1, 2000}).toString());
        assertEquals("tensor([0.5000, 1.0000]" + dev() + ", dtype=float64)", Tensor.of(new double[]{0.5, 1}).toString());
        assertEquals("tensor([nan, inf, 1.]" + dev() + ")", Tensor.of(new float[]{Float.NaN, Float.POSITIVE_INFINITY, 1}).toString());
        assertEquals("tensor([]" + dev() + ")", Tensor.zeros(0).toString());
        assertEquals("tensor([]" + dev() + ", size=(2, 0))", Tensor.zeros(2, 0).toString());
    }

    @Test
    void printsHigherRanksWithBlankLinesBetweenBlocks() {
        float[] v = new float[8];
        for (int i = 0; i < 8; i++) v[i] = i;
        assertEquals("tensor([[[0., 1.],\n         [2., 3.]],\n\n        [[4., 5.],\n         [6., 7.]]]" + dev() + ")",
                Tensor.of(v, 2, 2, 2).toString());
        assertEquals("tensor([[0., 4.],\n        [1., 5.]]" + dev() + ")", Tensor.of(v, 2, 4).slice(1, 0, 2).t().toString());
    }

    /**
     * The printer walks the dimensions with a loop, not a call per dimension, so any rank prints, even on a thread
     * with a small stack (256 KB here; a call per dimension overflowed it, and a 1 MB one, near rank 5,000).
     */
    @Test
    void printsTensorsOfVeryHighRank() throws InterruptedException {
        int rank = 5000;
        int[] shape = new int[rank];
        java.util.Arrays.fill(shape, 1);
        Tensor seven = Tensor.of(new float[]{7}).reshape(shape);
        String[] printed = new String[1];
        Throwable[] failure = new Throwable[1];
        Thread small = new Thread(null, () -> {
            try {
                printed[0] = seven.toString();
            } catch (Throwable t) {
                failure[0] = t;
            }
        }, "small-stack printer", 256 * 1024);
        small.start();
        small.join();
        assertEquals(null, failure[0], () -> "printing a rank-" + rank + " tensor failed: " + failure[0]);
        assertEquals("tensor(" + "[".repeat(rank) + "7." + "]".repeat(rank) + dev() + ")", printed[0]);
        shape[rank - 2] = 2;
        String two = Tensor.of(new float[]{1, 2}).reshape(shape).toString();
        String open = "[".repeat(rank - 1);
        assertEquals("tensor(" + open + "[1.]," + "\n" + " ".repeat("tensor(".length() + rank - 1) + "[2.]" + "]".repeat(rank - 1) + dev() + ")", two);
    }

    @Test
    void printsGradFnOfResults() {
        Tensor x = Tensor.of(new float[]{1, 2}).requiresGrad(true);
        Tensor y = Tensor.of(new float[]{3, 4});
        assertEquals("tensor([3., 8.]" + dev() + ", grad_fn=<MulBackward>)", x.mul(y).toString());
        assertTrue(x.mul(2).toString().endsWith("grad_fn=<MulBackward>)"));
        assertTrue(x.add(1).toString().endsWith("grad_fn=<AddBackward>)"));
        assertTrue(x.sum().toString().startsWith("tensor(3., grad_fn=<SumBackward>") || x.sum().toString().contains("grad_fn=<SumBackward>"));
        assertTrue(x.exp().toString().contains("grad_fn=<ExpBackward>"));
        assertTrue(x.reshape(2, 1).toString().contains("grad_fn=<ReshapeBackward>"));
    }

    @Test
    void summarisesLargeTensorsLikePyTorch() {
        assertEquals("tensor([0.0000e+00, 1.0000e+00, 2.0000e+00,  ..., 1.9970e+03, 1.9980e+03, 1.9990e+03]" + dev() + ")",
                Tensor.arange(0, 2000, 1.0).toString());
        assertEquals("tensor([0., 0., 0.,  ..., 0., 0., 0.]" + dev() + ")", Tensor.zeros(1001).toString());
        String big = Tensor.zeros(40, 40).toString();
        assertTrue(big.startsWith("tensor([[0., 0., 0.,  ..., 0., 0., 0.],\n        [0., 0., 0.,  ..., 0., 0., 0.],"), big);
        assertTrue(big.contains("\n        ...,\n        [0., 0., 0.,  ..., 0., 0., 0.],"), big);
    }

    @Test
    void dotShowsEachOpWithShapeDataAndGrad() {
        Tensor w = Tensor.of(new double[]{0.5, -1.5}).requiresGrad(true);
        Tensor x = Tensor.of(new double[]{2, 4});
        Tensor loss = w.mul(x).tanh().sum();
        loss.backward();
        String dot = loss.toDot();
        assertTrue(dot.startsWith("digraph"), dot);
        for (String part : new String[]{"SumBackward", "TanhBackward", "MulBackward", "leaf", "[2]", "[]", "0.5000", "-1.500",
                "grad [", "->"}) {
            assertTrue(dot.contains(part), "toDot should contain '" + part + "':\n" + dot);
        }
        // w's gradient: x * (1 - tanh^2(w x))
        double g0 = 2 * (1 - Math.pow(Math.tanh(1), 2));
        assertTrue(dot.contains(String.format(java.util.Locale.ROOT, "%.4g", g0)), "leaf gradient shown:\n" + dot);
    }

    @Test
    void dotIsLaidOutTopToBottomAndShowsTheNamesUsersGive() {
        Tensor w = Tensor.of(new double[]{0.5, -1.5}).requiresGrad(true).name("w");
        Tensor b = Tensor.of(new double[]{1, 2}).requiresGrad(true).name("ignored: the map's name wins");
        Tensor x = Tensor.of(new double[]{2, 4});
        Tensor loss = w.mul(x).add(b).sum().name("loss");
        assertEquals("w", w.name());
        String dot = loss.toDot(java.util.Map.of("bias{0}", b));
        assertTrue(dot.contains("rankdir=TB;"), dot);
        assertTrue(!dot.contains("rankdir=LR"), dot);
        assertTrue(dot.contains("[label=\"{w | leaf [2] | data [0.5000, -1.500] | grad none}\""), dot);
        assertTrue(dot.contains("[label=\"{bias\\{0\\} | leaf [2] | data"), "map names, escaped for records:\n" + dot);
        assertTrue(dot.contains("[label=\"{loss | SumBackward [] | data"), dot);
        assertTrue(dot.contains("[label=\"{MulBackward [2] | data [1.000, -6.000]"), "an unnamed node has no name field:\n" + dot);
        // the root and the leaves are coloured
        assertTrue(dot.contains("t0 [label=\"{loss") && dot.contains("fillcolor=\"#c8f0c8\""), dot);
        assertEquals(2, dot.split("fillcolor=\"#cfe3f7\"", -1).length - 1, dot); // x needs no grad: not in the graph
    }

    @Test
    void aHundredNodeGraphLeavesOutThePreviewsToStayLegible() {
        Tensor x = Tensor.of(new float[]{0.1f, 0.2f}).requiresGrad(true).name("x");
        Tensor y = x;
        for (int i = 0; i < 99; i++) y = i % 2 == 0 ? y.tanh() : y.mul(x);
        String dot = y.toDot();
        int nodes = dot.split("\\[label=", -1).length - 1;
        assertEquals(100, nodes, dot);
        assertTrue(!dot.contains("data ["), "no previews above 60 nodes:\n" + dot);
        assertTrue(dot.contains("{x | leaf [2]}"), dot);
        assertTrue(dot.contains("{TanhBackward [2]}"), dot);
    }
}
