package io.jgrad.examples;

import io.jgrad.DType;
import io.jgrad.Device;
import io.jgrad.Grad;
import io.jgrad.Scope;
import io.jgrad.Tensor;
import io.jgrad.data.ToyData;
import io.jgrad.nn.Linear;
import io.jgrad.nn.Losses;
import io.jgrad.nn.Module;
import io.jgrad.nn.ReLU;
import io.jgrad.nn.Sequential;
import io.jgrad.optim.LrSchedule;
import io.jgrad.optim.SGD;
import io.jgrad.optim.Scheduler;
import io.jgrad.scalar.Layer;
import io.jgrad.scalar.MLP;
import io.jgrad.scalar.Value;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * micrograd's demo on both engines: an MLP(2, [16, 16, 1]) separates make_moons(100, noise 0.1) with the SVM
 * max-margin loss {@code mean(relu(1 - y*score))} (labels y in {-1, +1}) plus the L2 term
 * {@code 1e-4 * sum(p*p)}, trained by 100 steps of full-batch SGD with {@code lr = 1.0 - 0.9*k/100}.
 *
 * <p>Both engines start from the same weights (the scalar MLP's, copied into the tensor model), so their curves
 * can be compared step for step: in float64 they agree to rounding.
 */
@Command(name = "moons", mixinStandardHelpOptions = true,
        description = "micrograd's moons demo: an MLP(2, [16, 16, 1]) with the max-margin loss on the scalar and the tensor engine.")
final class Moons implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(Moons.class);
    static final int[] LAYERS = {16, 16, 1};
    static final double ALPHA = 1e-4;
    private static final int GRID = 120;

    /** Which engine trains the model. */
    enum Engine { tensor, scalar, both }

    @ParentCommand
    Main main;

    @Mixin
    Options options = new Options();

    /** The demo's options; {@link Main} takes them too, so that they work without the subcommand's name. */
    static final class Options {
        @Option(names = "--engine", defaultValue = "both",
                description = "tensor, scalar or both (default: ${DEFAULT-VALUE})")
        Engine engine = Engine.both;

        @Option(names = "--steps", defaultValue = "100", description = "SGD steps (default: ${DEFAULT-VALUE})")
        int steps = 100;

        @Option(names = "--samples", defaultValue = "100", description = "points in the data set (default: ${DEFAULT-VALUE})")
        int samples = 100;

        @Option(names = "--noise", defaultValue = "0.1", description = "noise of make_moons (default: ${DEFAULT-VALUE})")
        double noise = 0.1;

        @Option(names = "--out", defaultValue = "out", description = "folder for the PNG pictures (default: ${DEFAULT-VALUE})")
        Path out = Path.of("out");
    }

    /**
     * What a run produced: final figures after the last update, the curves, and the trained classifier.
     *
     * @param engine "scalar" or "tensor"
     * @param device where the tensor engine ran; null for the scalar engine
     */
    record Result(String engine, Device device, double loss, double accuracy, double seconds, Charts.Series lossCurve,
                  Charts.Series accuracyCurve, Function<double[][], double[]> classifier) {
        /** "scalar" or, for example, "tensor (cpu)". */
        String label() {
            return device == null ? engine : engine + " (" + device + ")";
        }
    }

    @Override
    public Integer call() throws Exception {
        Engine engine = options.engine;
        int steps = options.steps, samples = options.samples;
        double noise = options.noise;
        if (steps < 1 || samples < 2) {
            throw new IllegalArgumentException("moons: need --steps >= 1 and --samples >= 2, got " + steps + " and " + samples);
        }
        long seed = main.seed;
        ToyData data = ToyData.moons(samples, noise, seed);
        System.out.printf(Locale.ROOT, "moons: %d points (noise %s, seed %d), MLP(2, [16, 16, 1])%n", samples, noise, seed);
        System.out.printf(Locale.ROOT, "training: %d steps of SGD, lr 1.0 -> 0.1, max-margin loss%n", steps);
        List<Result> results = new ArrayList<>();
        if (engine != Engine.tensor) results.add(trainScalar(data, steps, seed, ProgressBar.detectStyle()));
        if (engine != Engine.scalar) {
            Device device = main.selectDevice();
            results.add(trainTensor(data, steps, seed, device, DType.FLOAT32, ProgressBar.detectStyle()));
        }
        for (Result r : results) {
            System.out.printf(Locale.ROOT, "%-18s loss %.4f  accuracy %5.1f%%  %.2f s%n",
                    r.label() + ":", r.loss(), 100 * r.accuracy(), r.seconds());
        }
        writePictures(data, results);
        return 0;
    }

    private void writePictures(ToyData data, List<Result> results) {
        Map<String, Charts.Series> losses = new LinkedHashMap<>();
        Map<String, Charts.Series> accuracies = new LinkedHashMap<>();
        List<Path> written = new ArrayList<>();
        for (Result r : results) {
            Path file = options.out.resolve("moons-" + r.engine() + ".png");
            String caption = String.format(Locale.ROOT, "%s engine: accuracy %.0f%%", r.label(), 100 * r.accuracy());
            if (Charts.writeOrWarn(file, () -> Charts.writeDecisionBoundary(file, data.x(), data.y(), r.classifier(), GRID, caption))) {
                written.add(file);
            }
            losses.put(r.label(), r.lossCurve());
            accuracies.put(r.label(), r.accuracyCurve());
        }
        Path curves = options.out.resolve("moons-curves.png");
        if (Charts.writeOrWarn(curves, () -> Charts.writeCurves(curves, "moons", "step", losses, accuracies))) written.add(curves);
        if (!written.isEmpty()) LOG.info("Wrote {}", written);
    }

    // ------------------------------------------------------------------ the scalar engine

    /** Trains micrograd's MLP on the scalar engine with the demo's loss and learning-rate schedule. */
    static Result trainScalar(ToyData data, int steps, long seed, ProgressBar.Style style) {
        double[][] x = data.x();
        double[] y = signs(data.y());
        MLP model = new MLP(2, LAYERS, seed);
        Charts.Series lossCurve = new Charts.Series();
        Charts.Series accuracyCurve = new Charts.Series();
        long start = System.nanoTime();
        double[] last;
        try (ProgressBar bar = ProgressBar.create(System.out, style, "scalar engine", steps)) {
            for (int k = 0; k < steps; k++) {
                Value loss = scalarLoss(model, x, y, lossCurve, accuracyCurve, k);
                model.zeroGrad();
                loss.backward();
                double lr = 1.0 - 0.9 * k / steps;
                for (Value p : model.parameters()) p.setData(p.data() - lr * p.grad());
                bar.step(x.length, loss.data());
            }
            // The figures of the trained model, after the last update.
            last = new double[] {scalarLoss(model, x, y, lossCurve, accuracyCurve, steps).data(), accuracyCurve.lastY()};
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Function<double[][], double[]> classifier = points -> {
            double[] s = new double[points.length];
            for (int i = 0; i < points.length; i++) s[i] = model.apply(points[i])[0].data();
            return s;
        };
        return new Result("scalar", null, last[0], last[1], seconds, lossCurve, accuracyCurve, classifier);
    }

    /** micrograd's total loss, recording the loss and accuracy of step k (before its update) on the curves. */
    private static Value scalarLoss(MLP model, double[][] x, double[] y, Charts.Series lossCurve,
                                    Charts.Series accuracyCurve, int k) {
        Value dataLoss = Value.of(0);
        int correct = 0;
        for (int i = 0; i < x.length; i++) {
            Value score = model.apply(x[i])[0];
            dataLoss = dataLoss.add(score.mul(-y[i]).add(1).relu());
            if ((score.data() > 0) == (y[i] > 0)) correct++;
        }
        dataLoss = dataLoss.mul(1.0 / x.length);
        Value squares = Value.of(0);
        for (Value p : model.parameters()) squares = squares.add(p.mul(p));
        Value loss = dataLoss.add(squares.mul(ALPHA));
        lossCurve.add(k, loss.data());
        accuracyCurve.add(k, (double) correct / x.length);
        return loss;
    }

    // ------------------------------------------------------------------ the tensor engine

    /**
     * Trains the same network with io.jgrad.nn and io.jgrad.optim on {@code device}, starting from the scalar MLP
     * that {@code seed} gives.
     *
     * @param dtype FLOAT32 as usual, or FLOAT64 to reproduce the scalar engine's numbers
     */
    static Result trainTensor(ToyData data, int steps, long seed, Device device, DType dtype, ProgressBar.Style style) {
        Module model = tensorMlp(new MLP(2, LAYERS, seed), dtype).to(device);
        int n = data.size();
        Tensor x = Scope.persist(toTensor(data.x(), dtype, device));
        Tensor y = Scope.persist(Tensor.of(signs(data.y())).to(dtype).to(device));
        SGD optimizer = new SGD(model.parameters(), 1.0);
        // lr = 1.0 - 0.9*k/steps, micrograd's schedule (it uses 100 steps)
        Scheduler scheduler = new Scheduler(optimizer, LrSchedule.linearDecay(1.0, 0.1, steps));
        Charts.Series lossCurve = new Charts.Series();
        Charts.Series accuracyCurve = new Charts.Series();
        long start = System.nanoTime();
        double[] last;
        try (ProgressBar bar = ProgressBar.create(System.out, style, "tensor engine", steps)) {
            for (int k = 0; k < steps; k++) {
                try (Scope scope = Scope.open()) {
                    Tensor loss = tensorLoss(model, x, y, n, lossCurve, accuracyCurve, k);
                    optimizer.zeroGrad();
                    loss.backward();
                    optimizer.step();
                    scheduler.step();
                    bar.step(n, lossCurve.lastY());
                }
            }
            try (Scope scope = Scope.open(); Grad.Mode noGrad = Grad.disabled()) {
                last = new double[] {tensorLoss(model, x, y, n, lossCurve, accuracyCurve, steps).item(), accuracyCurve.lastY()};
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Function<double[][], double[]> classifier = points -> {
            try (Scope scope = Scope.open(); Grad.Mode noGrad = Grad.disabled()) {
                return model.forward(toTensor(points, dtype, device)).toDoubleArray();
            }
        };
        return new Result("tensor", device, last[0], last[1], seconds, lossCurve, accuracyCurve, classifier);
    }

    private static Tensor tensorLoss(Module model, Tensor x, Tensor y, int n, Charts.Series lossCurve,
                                     Charts.Series accuracyCurve, int k) {
        Tensor scores = model.forward(x).reshape(n);
        Tensor dataLoss = Losses.hinge(scores, y);
        Tensor squares = null;
        for (Tensor p : model.parameters()) {
            Tensor s = p.square().sum();
            squares = squares == null ? s : squares.add(s);
        }
        Tensor loss = dataLoss.add(squares.mul(ALPHA));
        double accuracy;
        try (Grad.Mode noGrad = Grad.disabled()) {
            // A prediction is right when score and label have the same sign (score 0 counts as class -1).
            accuracy = scores.gt(0).eq(y.gt(0)).to(DType.FLOAT32).mean().item(); // bool -> 1/0 to average
        }
        lossCurve.add(k, loss.item());
        accuracyCurve.add(k, accuracy);
        return loss;
    }

    /**
     * The tensor twin of a scalar MLP: Linear layers holding the same weights (neuron i's weights are row i of
     * the weight matrix), with ReLU after every layer but the last, in the given floating dtype on the default
     * device.
     */
    static Sequential tensorMlp(MLP scalar, DType dtype) {
        Sequential model = new Sequential();
        Map<String, Tensor> state = new LinkedHashMap<>();
        List<Layer> layers = scalar.layers();
        for (int l = 0; l < layers.size(); l++) {
            Layer layer = layers.get(l);
            int in = layer.inputs();
            int outputs = layer.outputs();
            double[] weight = new double[outputs * in];
            double[] bias = new double[outputs];
            for (int i = 0; i < outputs; i++) {
                List<Value> p = layer.neurons().get(i).parameters(); // weights, then the bias
                for (int j = 0; j < in; j++) weight[i * in + j] = p.get(j).data();
                bias[i] = p.get(in).data();
            }
            String prefix = model.size() + ".";
            model.add(new Linear(in, outputs));
            state.put(prefix + "weight", Tensor.of(weight, outputs, in).to(dtype));
            state.put(prefix + "bias", Tensor.of(bias, outputs).to(dtype));
            if (l < layers.size() - 1) model.add(new ReLU());
        }
        model.to(dtype);
        model.loadStateDict(state); // strict: names and shapes must line up
        return model;
    }

    private static Tensor toTensor(double[][] rows, DType dtype, Device device) {
        double[] flat = new double[rows.length * 2];
        for (int i = 0; i < rows.length; i++) {
            flat[2 * i] = rows[i][0];
            flat[2 * i + 1] = rows[i][1];
        }
        return Tensor.of(flat, rows.length, 2).to(dtype).to(device);
    }

    /** Labels 0/1 as -1/+1. */
    private static double[] signs(int[] labels) {
        double[] y = new double[labels.length];
        for (int i = 0; i < labels.length; i++) y[i] = labels[i] == 1 ? 1 : -1;
        return y;
    }
}
