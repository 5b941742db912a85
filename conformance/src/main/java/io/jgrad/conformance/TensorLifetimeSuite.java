package io.jgrad.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgrad.Backends;
import io.jgrad.DType;
import io.jgrad.Device;
import io.jgrad.Generator;
import io.jgrad.GradCheck;
import io.jgrad.Scope;
import io.jgrad.Tensor;
import io.jgrad.amp.Autocast;
import io.jgrad.nn.Conv2d;
import io.jgrad.nn.Flatten;
import io.jgrad.nn.Identity;
import io.jgrad.nn.Linear;
import io.jgrad.nn.Losses;
import io.jgrad.nn.MaxPool2d;
import io.jgrad.nn.Module;
import io.jgrad.nn.ReLU;
import io.jgrad.nn.Residual;
import io.jgrad.nn.Sequential;
import io.jgrad.optim.Adam;
import io.jgrad.spi.Backend;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Closing a tensor means what dropping PyTorch's last reference means: a graph node holds its saved tensors through
 * references of its own, so code that closes a temporary right after its last use frees its memory unless backward
 * needs it, and backward still works and gives the same gradients. Saved tensors are freed once their node has run,
 * and {@link Sequential} closes each intermediate output once the next module has read it.
 * <p>
 * Memory is read from the backend's own accounting (on the CPU, every array handed out and not returned): counts of
 * bytes, no timing.
 */
public abstract class TensorLifetimeSuite extends TensorBaseSuite {

    // ------------------------------------------------------------------ saved tensors and closed tensors

    @Test
    void aSavedTensorOutlivesTheTensorItWasSavedFrom() {
        double[] v = {0.5, -1, 2};
        Tensor x = f64(v, 3).requiresGrad(true);
        Tensor a = x.mul(2);
        Tensor b = a.sin(); // SinBackward saves a
        a.close();
        Tensor loss = b.sum();
        b.close(); // sum saves nothing; b's node stays reachable from SumBackward's
        assertTrue(a.isClosed() && b.isClosed());
        assertEquals("SinBackward", b.gradFnName(), "a closed tensor keeps its place in the graph");
        loss.backward();
        double[] expected = new double[3];
        for (int i = 0; i < 3; i++) expected[i] = 2 * Math.cos(2 * v[i]);
        assertClose(expected, x.grad(), 1e-12, 1e-12, "d/dx sum(sin(2x)) with 2x closed before backward");
    }

    @Test
    void usingAClosedTensorFailsClearly() {
        Tensor x = f32(new double[]{1, 2, 3, 4}, 2, 2);
        Tensor h = x.exp();
        h.close();
        assertFailsMentioning(IllegalStateException.class, h::relu, "closed", "[2, 2]");
        assertFailsMentioning(IllegalStateException.class, h::toDoubleArray, "closed", "[2, 2]");
        assertFailsMentioning(IllegalStateException.class, () -> x.add(h), "closed", "[2, 2]");
        assertExactly(new double[]{1, 2, 3, 4}, x, "the other operand is untouched");
    }

    @Test
    void aScopeThatEndsBeforeBackwardStillFailsClearly() {
        Tensor x = f64(new double[]{1, 2}, 2).requiresGrad(true);
        Tensor loss;
        try (Scope scope = Scope.open()) {
            loss = scope.keep(x.exp().sum());
        }
        // exp's saved output belonged to the scope (the node's reference too)
        assertFailsMentioning(IllegalStateException.class, loss::backward, "ExpBackward", "freed", "Scope");
    }

    @Test
    void keepGraphKeepsSavedTensorsUntilTheLastBackward() {
        double[] v = {0.25, 1.5};
        Tensor x = f64(v, 2).requiresGrad(true);
        Tensor a = x.mul(3);
        Tensor loss = a.square().sum(); // saves a
        a.close();
        Tensor one = Tensor.scalar(1.0);
        loss.backward(one, true);
        loss.backward(one, true);
        loss.backward(one, false); // releases the graph
        assertClose(new double[]{3 * 18 * v[0], 3 * 18 * v[1]}, x.grad(), 1e-12, 1e-12, "three passes of d/dx (3x)^2");
        assertFailsMentioning(IllegalStateException.class, loss::backward, "second time");
    }

    @Test
    void savedTensorsAreFreedWhenTheirNodeHasRun() {
        int n = 1 << 16;
        Tensor x = Tensor.rand(new Generator(1), n).requiresGrad(true);
        Backend backend = Backends.get(device());
        try (Scope ignored = Scope.open()) {
            Tensor a = x.mul(2);
            Tensor b = a.sin(); // only SinBackward holds a now
            a.close();
            Tensor loss = b.sum();
            b.close();
            long before = settledBytesInUse();
            loss.backward();
            backend.synchronize();
            long grown = backend.memoryStats().bytesInUse() - before;
            // backward made x.grad (n floats, which stays) and freed a (n floats): nothing else of that size is left
            assertTrue(grown < n * 4L / 2, "bytes in use grew by " + grown + " in backward; x.grad and a are " + n * 4L
                    + " bytes each: a was not freed when SinBackward had run");
        }
    }

    @Test
    void aBroadcastGradientAndAMeanLeaveNoPartialSums() {
        int rows = 64, cols = 1 << 12;
        Tensor x = Tensor.rand(new Generator(3), rows, cols);
        Tensor b = Tensor.rand(new Generator(4), 1, 1, cols).requiresGrad(true); // broadcast over two axes
        Backend backend = Backends.get(device());
        try (Scope ignored = Scope.open()) {
            Tensor y = x.add(b); // [1, rows, cols]
            long before = settledBytesInUse();
            Tensor loss = y.mean();
            y.close(); // nothing saved it
            loss.backward();
            backend.synchronize();
            long grown = backend.memoryStats().bytesInUse() - before;
            // what stays is the loss (one float) and b.grad (cols floats): mean's sum of all elements and the sum over
            // the broadcast rows are each freed once read
            assertEquals(4L + cols * 4L - rows * cols * 4L, grown,
                    "bytes in use after (x + b).mean() with b [1, 1, " + cols + "], closing x + b, and backward");
            double[] want = new double[cols];
            java.util.Arrays.fill(want, 1.0 / cols);
            assertClose(want, b.grad().reshape(cols), 1e-12, 1e-6, "d mean(x + b) / db");
        }
    }

    @Test
    void autocastClosesItsCastsOnceTheOpHasRun() {
        int n = 1 << 14;
        Tensor x = Tensor.rand(new Generator(2), 4, n).to(DType.BFLOAT16).requiresGrad(true);
        try (Scope ignored = Scope.open(); Autocast ac = Autocast.enable(DType.BFLOAT16)) {
            long before = settledBytesInUse();
            Tensor p = x.softmax(1); // runs in float32: x is cast up for it, and softmax saves only its output
            assertEquals(DType.FLOAT32, p.dtype());
            long grown = Backends.get(device()).memoryStats().bytesInUse() - before;
            // the float32 output stays; the float32 copy of x was the op's temporary
            assertTrue(grown < 4L * n * 4 * 3 / 2, "softmax under autocast left " + grown + " bytes in use; its float32"
                    + " output is " + 4L * n * 4 + " bytes, and the float32 cast of its input as much again");
            p.sum().backward();
            assertEquals(DType.BFLOAT16, x.grad().dtype());
        }
    }

    // ------------------------------------------------------------------ Sequential

    /** conv 1->4, ReLU, pool, conv 4->8, ReLU, pool, flatten, linear 200->10: the cnn example's shape, smaller. */
    private static Sequential cnn(Generator gen) {
        return new Sequential(new Conv2d(1, 4, 3, 1, 0, 1, true, gen), new ReLU(), new MaxPool2d(2),
                new Conv2d(4, 8, 3, 1, 0, 1, true, gen), new ReLU(), new MaxPool2d(2), new Flatten(),
                new Linear(200, 10, gen));
    }

    /** The same layers called one after another with nothing closed: the behaviour before Sequential closed anything. */
    private static Tensor chained(Sequential model, Tensor x) {
        Tensor h = x;
        for (int i = 0; i < model.size(); i++) h = model.get(i).forward(h);
        return h;
    }

    @Test
    void sequentialKeepsOnlyWhatBackwardNeeds() {
        Sequential model = cnn(new Generator(3));
        Tensor x = Tensor.randn(new Generator(4), 4, 1, 28, 28);
        long kept;
        long keptChained;
        try (Scope ignored = Scope.open()) {
            long before = settledBytesInUse();
            Tensor out = model.forward(x);
            kept = Backends.get(device()).memoryStats().bytesInUse() - before;
            assertShape(out, 4, 10);
        }
        try (Scope ignored = Scope.open()) {
            long before = settledBytesInUse();
            chained(model, x);
            keptChained = Backends.get(device()).memoryStats().bytesInUse() - before;
        }
        // What the graph saves, as in PyTorch: ReLU's outputs, the pools' indices, the second convolution's input (the
        // first pool's output) and the linear layer's (the second pool's), and the result. Both convolutions' outputs
        // were closed once their ReLU had read them.
        long floats = 4L * 4 * 26 * 26 + 4L * 4 * 13 * 13 + 4L * 8 * 11 * 11 + 4L * 8 * 5 * 5 + 4 * 10;
        long indices = 4L * 4 * 13 * 13 + 4L * 8 * 5 * 5;
        long convOutputs = 4L * 4 * 26 * 26 + 4L * 8 * 11 * 11;
        if (device().equals(Device.CPU)) {
            // the CPU counts each array at its size
            assertEquals(floats * 4 + indices * 8, kept, "bytes a Sequential forward leaves in use");
            assertEquals(convOutputs * 4, keptChained - kept, "bytes the Sequential freed early: both convolutions' outputs");
        } else {
            assertTrue(keptChained - kept >= convOutputs * 4, "the Sequential freed " + (keptChained - kept)
                    + " bytes early, fewer than the convolutions' outputs (" + convOutputs * 4 + ")");
        }
    }

    @Test
    void earlyClosingChangesNoGradient() {
        Sequential model = cnn(new Generator(5));
        model.to(DType.FLOAT64);
        double[] input = uniform(6, 2 * 28 * 28, -1, 1);
        List<double[]> viaSequential = gradients(model, input, true);
        List<double[]> viaChain = gradients(model, input, false);
        assertEquals(viaChain.size(), viaSequential.size());
        for (int i = 0; i < viaChain.size(); i++) {
            assertArrayEquals(viaChain.get(i), viaSequential.get(i), "gradient " + i + " (input first, then the parameters)"
                    + " with and without closing the intermediates");
        }
    }

    private static List<double[]> gradients(Sequential model, double[] input, boolean sequential) {
        model.zeroGrad();
        List<double[]> out = new ArrayList<>();
        try (Scope ignored = Scope.open()) {
            Tensor x = f64(input, 2, 1, 28, 28).requiresGrad(true);
            Tensor y = sequential ? model.forward(x) : chained(model, x);
            y.square().sum().backward();
            out.add(x.grad().toDoubleArray());
            for (Tensor p : model.parameters()) out.add(p.grad().toDoubleArray());
        }
        return out;
    }

    @Test
    void gradcheckThroughASequentialThatClosesItsIntermediates() {
        Generator gen = new Generator(7);
        Sequential model = new Sequential(new Conv2d(1, 2, 3, 1, 0, 1, true, gen), new ReLU(), new MaxPool2d(2),
                new Conv2d(2, 3, 3, 1, 1, 1, true, gen), new ReLU(), new Flatten(), new Linear(75, 2, gen));
        model.to(DType.FLOAT64);
        Map<String, Tensor> params = model.namedParameters();
        String[] names = {"0.weight", "3.weight", "3.bias", "6.weight"};
        Tensor[] inputs = new Tensor[names.length + 1];
        inputs[0] = f64(uniform(8, 2 * 12 * 12, -1, 1), 2, 1, 12, 12).requiresGrad(true);
        for (int i = 0; i < names.length; i++) inputs[i + 1] = params.get(names[i]).detach().clone().requiresGrad(true);
        GradCheck.check(xs -> {
            Map<String, Tensor> replaced = new LinkedHashMap<>();
            for (int i = 0; i < names.length; i++) replaced.put(names[i], xs[i + 1]);
            return model.functionalCall(replaced, xs[0]);
        }, inputs).assertPassed();
    }

    @Test
    void aTensorAHookSawIsNotClosed() {
        Generator gen = new Generator(9);
        ReLU hooked = new ReLU();
        List<Tensor> seen = new ArrayList<>();
        hooked.registerForwardHook((m, in, out) -> {
            seen.add(out);
            return null;
        });
        // the hooked ReLU sits inside an inner Sequential, whose output it therefore made
        Sequential model = new Sequential(new Sequential(new Linear(3, 4, gen), hooked), new Linear(4, 2, gen));
        ReLU plain = new ReLU();
        List<Tensor> before = new ArrayList<>();
        plain.registerForwardPreHook((m, in) -> {
            before.add(in[0]);
            return null;
        });
        Sequential second = new Sequential(new Linear(3, 4, gen), plain, new Linear(4, 2, gen));
        try (Scope ignored = Scope.open()) {
            Tensor x = f32(uniform(10, 6, -1, 1), 2, 3);
            model.forward(x);
            second.forward(x);
            assertEquals(1, seen.size());
            assertFalse(seen.get(0).isClosed(), "the output a forward hook saw (three levels down) stays open");
            assertEquals(1, before.size());
            assertFalse(before.get(0).isClosed(), "the input a forward pre-hook saw stays open");
            assertFalse(x.isClosed(), "a Sequential never closes its input");
        }
    }

    @Test
    void residualClosesItsInnerOutputOnceAdded() {
        List<Tensor> made = new ArrayList<>();
        Module tanh = new Module() {
            @Override
            public Tensor forward(Tensor x) {
                Tensor y = x.tanh();
                made.add(y);
                return y;
            }
        };
        double[] v = {0.3, -0.7};
        Tensor x = f64(v, 2).requiresGrad(true);
        Tensor out = new Residual(tanh).forward(x);
        assertTrue(made.get(0).isClosed(), "the inner module's output, read by the sum, is closed");
        out.sum().backward(); // TanhBackward kept its own reference to the output it saved
        double[] expected = new double[2];
        for (int i = 0; i < 2; i++) expected[i] = 2 - Math.tanh(v[i]) * Math.tanh(v[i]);
        assertClose(expected, x.grad(), 1e-12, 1e-12, "d/dx sum(x + tanh x)");
        Tensor twice = new Residual(new Identity()).forward(x);
        assertFalse(x.isClosed(), "an inner module that returns its input: the input stays open");
        assertClose(new double[]{0.6, -1.4}, twice, 0, 0, "x + x");
    }

    @Test
    void aTrainingStepPeaksLowerWhenTheSequentialClosesItsIntermediates() {
        Tensor images = Tensor.randn(new Generator(11), 16, 1, 28, 28);
        Tensor labels = Tensor.of(new long[]{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5}, 16);
        long sequential = stepPeak(images, labels, true);
        long chained = stepPeak(images, labels, false);
        // The same ops in the same order; closing early can only lower what is in use at any moment, and from the
        // first ReLU on (the step's peak is in backward) the first convolution's output is no longer counted.
        long conv1 = 16L * 4 * 26 * 26 * 4;
        assertTrue(chained - sequential >= conv1, "a cnn step peaked at " + sequential + " bytes above its start through"
                + " the Sequential and at " + chained + " with every intermediate kept: expected at least the first"
                + " convolution's output (" + conv1 + " bytes) less");
    }

    /** The peak bytes in use above the start of the third of three Adam steps of the small cnn. */
    private long stepPeak(Tensor images, Tensor labels, boolean sequential) {
        Sequential model = cnn(new Generator(12));
        Adam adam = new Adam(model.parameters(), 1e-3);
        Backend backend = Backends.get(device());
        long peak = 0;
        for (int step = 0; step < 3; step++) {
            long start = settledBytesInUse();
            backend.resetPeakMemoryStats();
            try (Scope ignored = Scope.open()) {
                Tensor logits = sequential ? model.forward(images) : chained(model, images);
                Tensor loss = Losses.crossEntropy(logits, labels);
                adam.zeroGrad();
                loss.backward();
                adam.step();
            }
            backend.synchronize();
            peak = backend.memoryStats().peakBytesInUse() - start;
        }
        return peak;
    }

    /** Bytes in use once arrays of earlier tests that only a collection can find are returned (read until stable). */
    private long settledBytesInUse() {
        Backend backend = Backends.get(device());
        backend.synchronize();
        System.gc();
        long last = backend.memoryStats().bytesInUse();
        for (int i = 0, same = 0; i < 50 && same < 3; i++) { // three equal reads 10 ms apart: the Cleaner is done
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            long now = backend.memoryStats().bytesInUse();
            same = now == last ? same + 1 : 0;
            last = now;
        }
        return last;
    }
}
