package io.jgrad.scalar;

import io.jgrad.data.ToyData;
import java.util.List;

/**
 * micrograd's demo.ipynb on the scalar engine: MLP(2, [16, 16, 1]) on make_moons(100, noise 0.1), SVM max-margin
 * loss mean(relu(1 - y*score)) with y in {-1, +1} plus 1e-4 * sum(p*p), full-batch SGD with lr = 1 - 0.9*k/steps.
 * Shared by the convergence test and the timing main.
 */
final class MoonsTraining {

    static final int SAMPLES = 100;
    static final double NOISE = 0.1;
    static final double ALPHA = 1e-4;

    final double[] loss;
    final double[] accuracy;

    private MoonsTraining(int steps) {
        loss = new double[steps];
        accuracy = new double[steps];
    }

    /** Trains a fresh model; loss[k] and accuracy[k] are measured before the k-th update, as in the notebook. */
    static MoonsTraining run(long dataSeed, long modelSeed, int steps) {
        ToyData data = ToyData.moons(SAMPLES, NOISE, dataSeed);
        double[][] x = data.x();
        int[] labels = data.y();
        double[] y = new double[labels.length];
        for (int i = 0; i < y.length; i++) y[i] = labels[i] * 2 - 1;

        MLP model = new MLP(2, new int[] {16, 16, 1}, modelSeed);
        List<Value> params = model.parameters();
        MoonsTraining result = new MoonsTraining(steps);
        for (int k = 0; k < steps; k++) {
            Value dataLoss = null;
            int correct = 0;
            for (int i = 0; i < x.length; i++) {
                Value score = model.apply(x[i])[0];
                Value margin = score.mul(-y[i]).add(1.0).relu();
                dataLoss = dataLoss == null ? margin : dataLoss.add(margin);
                if ((y[i] > 0) == (score.data() > 0)) correct++;
            }
            dataLoss = dataLoss.mul(1.0 / x.length);
            Value reg = null;
            for (Value p : params) reg = reg == null ? p.mul(p) : reg.add(p.mul(p));
            Value total = dataLoss.add(reg.mul(ALPHA));
            result.loss[k] = total.data();
            result.accuracy[k] = (double) correct / x.length;

            model.zeroGrad();
            total.backward();
            double lr = 1.0 - 0.9 * k / steps;
            for (Value p : params) p.setData(p.data() - lr * p.grad());
        }
        return result;
    }
}
