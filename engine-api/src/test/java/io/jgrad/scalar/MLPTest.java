package io.jgrad.scalar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MLPTest {

    @Test
    void microgradMoonsModelHasMicrogradsShape() {
        MLP model = new MLP(2, new int[] {16, 16, 1}, 1337);
        // (2+1)*16 + (16+1)*16 + (16+1)*1
        assertEquals(337, model.parameters().size());
        assertEquals(3, model.layers().size());
        assertTrue(model.layers().get(0).neurons().get(0).isRelu());
        assertTrue(model.layers().get(1).neurons().get(15).isRelu());
        assertEquals(false, model.layers().get(2).neurons().get(0).isRelu());
        assertEquals(16, model.layers().get(1).inputs());
        assertEquals(1, model.layers().get(2).outputs());
        String text = model.toString();
        assertTrue(text.startsWith("MLP of [Layer of [ReLUNeuron(2), ReLUNeuron(2), "), text);
        assertTrue(text.endsWith("], Layer of [LinearNeuron(16)]]"), text);
    }

    @Test
    void initialParametersAreUniformInMinusOneToOne() {
        List<Value> params = new MLP(3, new int[] {64, 64, 1}, 7).parameters();
        double min = 1, max = -1, sum = 0;
        for (Value p : params) {
            min = Math.min(min, p.data());
            max = Math.max(max, p.data());
            sum += p.data();
            assertEquals(0.0, p.grad());
            assertEquals("", p.op());
        }
        assertTrue(min >= -1 && max < 1, "range [" + min + ", " + max + "]");
        // With 4,481 draws of U(-1,1) the extremes come within 0.01 of the ends and the mean near 0.
        assertTrue(min < -0.99 && max > 0.99, "range [" + min + ", " + max + "]");
        assertEquals(0.0, sum / params.size(), 0.05);
    }

    @Test
    void sameSeedSameWeightsOtherSeedOtherWeights() {
        List<Value> a = new MLP(2, new int[] {4, 1}, 42).parameters();
        List<Value> b = new MLP(2, new int[] {4, 1}, 42).parameters();
        List<Value> c = new MLP(2, new int[] {4, 1}, 43).parameters();
        for (int i = 0; i < a.size(); i++) assertEquals(a.get(i).data(), b.get(i).data());
        assertNotEquals(a.get(0).data(), c.get(0).data());
        // An explicit Random gives the same draws as the seed.
        List<Value> d = new MLP(2, new int[] {4, 1}, new Random(42)).parameters();
        for (int i = 0; i < a.size(); i++) assertEquals(a.get(i).data(), d.get(i).data());
    }

    @Test
    void forwardMatchesHandComputation() {
        MLP model = new MLP(2, new int[] {3, 1}, 5);
        List<Value> p = model.parameters(); // neuron by neuron: w0, w1, b
        double[] x = {0.7, -1.2};
        double out = p.get(12).data(); // output neuron: w0..w2 at 9..11, bias at 12
        for (int j = 0; j < 3; j++) {
            double act = p.get(3 * j + 2).data() + p.get(3 * j).data() * x[0] + p.get(3 * j + 1).data() * x[1];
            out += p.get(9 + j).data() * Math.max(0, act);
        }
        Value[] y = model.apply(x);
        assertEquals(1, y.length);
        assertEquals(out, y[0].data(), 1e-12);
    }

    @Test
    void hiddenLayersAreRectifiedAndTheLastIsLinear() {
        Random rng = new Random(3);
        Layer hidden = new Layer(2, 50, true, rng);
        Layer linear = new Layer(2, 50, false, rng);
        Value[] x = {Value.of(0.9), Value.of(-0.4)};
        boolean linearWentNegative = false;
        for (Value h : hidden.apply(x)) assertTrue(h.data() >= 0);
        for (Value h : linear.apply(x)) linearWentNegative |= h.data() < 0;
        assertTrue(linearWentNegative, "50 random linear neurons should not all be non-negative");
    }

    @Test
    void parameterGradientsMatchNumericalGradients() {
        MLP model = new MLP(3, new int[] {4, 4, 1}, 11);
        double[] x = {0.3, -0.8, 1.1};
        Value out = model.apply(x)[0].tanh();
        model.zeroGrad();
        out.backward();
        double h = 1e-6;
        for (Value p : model.parameters()) {
            double saved = p.data();
            p.setData(saved + h);
            double up = model.apply(x)[0].tanh().data();
            p.setData(saved - h);
            double down = model.apply(x)[0].tanh().data();
            p.setData(saved);
            assertEquals((up - down) / (2 * h), p.grad(), 1e-6);
        }
    }

    @Test
    void zeroGradClearsEveryParameter() {
        MLP model = new MLP(2, new int[] {3, 1}, 1);
        model.apply(1.0, 2.0)[0].backward();
        assertTrue(model.parameters().stream().anyMatch(p -> p.grad() != 0));
        model.zeroGrad();
        for (Value p : model.parameters()) assertEquals(0.0, p.grad());
    }

    @Test
    void badShapesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new MLP(0, new int[] {1}, 1));
        assertThrows(IllegalArgumentException.class, () -> new MLP(2, new int[] {}, 1));
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> new MLP(2, new int[] {4, 0, 1}, 1));
        assertTrue(e.getMessage().contains("layer 1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Layer(2, 0, true, new Random()));
        assertThrows(IllegalArgumentException.class, () -> new Neuron(0, true, new Random()));

        MLP model = new MLP(2, new int[] {3, 1}, 1);
        e = assertThrows(IllegalArgumentException.class, () -> model.apply(1.0, 2.0, 3.0));
        assertTrue(e.getMessage().contains("expects 2 inputs, got 3"), e.getMessage());
        assertThrows(UnsupportedOperationException.class, () -> model.parameters().clear());
    }
}
