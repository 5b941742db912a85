package io.jgrad.optim;

import io.jgrad.Grad;
import io.jgrad.Scope;
import io.jgrad.Tensor;
import io.jgrad.nn.Module;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An exponential moving average of a module's parameters (Polyak averaging), the weights many language and vision
 * models are evaluated with: after each optimizer step, {@link #update()} moves each average towards its parameter,
 * {@code avg = decay * avg + (1 - decay) * param}; {@link #swapIn()} puts the averages into the model for evaluation
 * or sampling and puts the trained values back when closed.
 * <pre>{@code
 * var ema = new ExponentialMovingAverage(model, 0.999);
 * for (...) { loss.backward(); optimizer.step(); ema.update(); }
 * try (var averaged = ema.swapIn()) { devLoss = evaluate(model); }
 * }</pre>
 * As PyTorch's {@code AveragedModel} with {@code get_ema_multi_avg_fn(decay)}, but without a second copy of the
 * module: the averages live beside the parameters, on their device and in their dtype. Buffers (batch norm's running
 * statistics) are not averaged; they keep the values the model computed. With {@code warmUp}, the decay of the n-th
 * update is {@code min(decay, (1 + n) / (10 + n))}, so early averages do not remember the initialisation for long.
 */
public final class ExponentialMovingAverage implements AutoCloseable {
    private final LinkedHashMap<String, Tensor> params;
    private final LinkedHashMap<String, Tensor> averages = new LinkedHashMap<>();
    private final double decay;
    private final boolean warmUp;
    private long updates;
    private boolean swapped;
    private boolean closed;

    /** Averages of {@code model}'s parameters with a fixed {@code decay}, starting from their current values. */
    public ExponentialMovingAverage(Module model, double decay) {
        this(model, decay, false);
    }

    /**
     * Averages of {@code model}'s parameters, starting from their current values.
     *
     * @param decay  the weight of the old average, in [0, 1)
     * @param warmUp whether the n-th update uses {@code min(decay, (1 + n) / (10 + n))}
     */
    public ExponentialMovingAverage(Module model, double decay, boolean warmUp) {
        if (model == null) throw new IllegalArgumentException("ExponentialMovingAverage: model is null");
        if (!(decay >= 0 && decay < 1)) {
            throw new IllegalArgumentException("ExponentialMovingAverage: decay must be in [0, 1), got " + decay);
        }
        this.decay = decay;
        this.warmUp = warmUp;
        this.params = model.namedParameters();
        try (Grad.Mode noGrad = Grad.disabled()) {
            params.forEach((name, p) -> averages.put(name, Scope.persist(p.detach().clone())));
        }
    }

    /** The decay the next {@link #update()} will use. */
    public double currentDecay() {
        return warmUp ? Math.min(decay, (1.0 + updates) / (10.0 + updates)) : decay;
    }

    /** How many times {@link #update()} has run (restored by {@link #loadStateDict}). */
    public long updates() {
        return updates;
    }

    /** Moves every average towards its parameter's current value; call after each optimizer step. */
    public void update() {
        check("update");
        if (swapped) throw new IllegalStateException("ExponentialMovingAverage.update: the averages are swapped into the model; close the swap first");
        double d = currentDecay();
        try (Grad.Mode noGrad = Grad.disabled(); Scope scope = Scope.open()) {
            for (Map.Entry<String, Tensor> e : averages.entrySet()) {
                // avg += (1 - d) * (param - avg): one rounding fewer than scaling both terms
                Tensor avg = e.getValue();
                avg.addInPlace(params.get(e.getKey()).detach().sub(avg), 1 - d);
            }
        }
        updates++;
    }

    /** Puts the averages into the model's parameters until the returned handle is closed, which puts the trained values back. */
    public Swap swapIn() {
        check("swapIn");
        if (swapped) throw new IllegalStateException("ExponentialMovingAverage.swapIn: already swapped in");
        exchange();
        swapped = true;
        return new Swap();
    }

    /** The handle of {@link #swapIn()}; closing it restores the trained parameters (once). */
    public final class Swap implements AutoCloseable {
        private boolean done;

        private Swap() {
        }

        @Override
        public void close() {
            if (done) return;
            done = true;
            exchange();
            swapped = false;
        }
    }

    /** Copies the averages into the model's parameters for good (the trained values are lost). */
    public void copyTo() {
        check("copyTo");
        if (swapped) throw new IllegalStateException("ExponentialMovingAverage.copyTo: the averages are swapped in already");
        try (Grad.Mode noGrad = Grad.disabled()) {
            averages.forEach((name, avg) -> params.get(name).copyFrom(avg));
        }
    }

    private void exchange() {
        try (Grad.Mode noGrad = Grad.disabled(); Scope scope = Scope.open()) {
            for (Map.Entry<String, Tensor> e : averages.entrySet()) {
                Tensor p = params.get(e.getKey());
                Tensor avg = e.getValue();
                Tensor trained = p.detach().clone();
                p.copyFrom(avg);
                avg.copyFrom(trained);
            }
        }
    }

    /** The averages by parameter name, and the update count under {@code "updates"} (a one-element float64 tensor). */
    public LinkedHashMap<String, Tensor> stateDict() {
        check("stateDict");
        if (swapped) throw new IllegalStateException("ExponentialMovingAverage.stateDict: the averages are swapped in; close the swap first");
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>(averages);
        out.put("updates", Tensor.of(new double[] {updates}));
        return out;
    }

    /** Restores what {@link #stateDict()} returned: every parameter's average, with its shape, and the update count. */
    public void loadStateDict(Map<String, Tensor> state) {
        check("loadStateDict");
        if (swapped) throw new IllegalStateException("ExponentialMovingAverage.loadStateDict: the averages are swapped in; close the swap first");
        List<String> missing = new ArrayList<>();
        for (String name : averages.keySet()) if (!state.containsKey(name)) missing.add(name);
        if (!state.containsKey("updates")) missing.add("updates");
        List<String> unexpected = new ArrayList<>();
        for (String name : state.keySet()) if (!averages.containsKey(name) && !name.equals("updates")) unexpected.add(name);
        if (!missing.isEmpty() || !unexpected.isEmpty()) {
            throw new IllegalArgumentException("ExponentialMovingAverage.loadStateDict: missing " + missing + ", unexpected " + unexpected);
        }
        for (Map.Entry<String, Tensor> e : averages.entrySet()) {
            Tensor src = state.get(e.getKey());
            if (!src.shape().equals(e.getValue().shape())) {
                throw new IllegalArgumentException("ExponentialMovingAverage.loadStateDict: '" + e.getKey() + "' has shape " + src.shape()
                        + ", the parameter " + e.getValue().shape());
            }
        }
        try (Grad.Mode noGrad = Grad.disabled(); Scope scope = Scope.open()) {
            averages.forEach((name, avg) -> avg.copyFrom(state.get(name).to(avg.device()).to(avg.dtype())));
        }
        updates = (long) state.get("updates").item();
    }

    /** Frees the averages. */
    @Override
    public void close() {
        if (closed) return;
        if (swapped) throw new IllegalStateException("ExponentialMovingAverage.close: the averages are swapped in; close the swap first");
        closed = true;
        averages.values().forEach(Tensor::close);
    }

    private void check(String op) {
        if (closed) throw new IllegalStateException("ExponentialMovingAverage." + op + ": closed");
    }
}
