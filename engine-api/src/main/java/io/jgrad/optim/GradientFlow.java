package io.jgrad.optim;

import io.jgrad.DType;
import io.jgrad.Device;
import io.jgrad.Grad;
import io.jgrad.Scope;
import io.jgrad.Shape;
import io.jgrad.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A health check of the gradients after {@code backward()}: for every parameter, the L2 norm of its gradient, the
 * L2 norm of its data and their ratio, which approximates how much one plain SGD step at lr 1 would change it.
 * <p>
 * Gradients that shrink layer by layer on the way back (saturated sigmoid or tanh units, very deep stacks, tiny
 * initial weights) leave the first layers unable to learn: they are flagged {@link Status#VANISHING}. Gradients
 * that grow (large weights, a too-high learning rate, a missing normalisation) make steps overshoot or overflow to
 * NaN: they are flagged {@link Status#EXPLODING}.
 * <pre>{@code
 * loss.backward();
 * System.out.println(GradientFlow.report(model.namedParameters()));
 * }</pre>
 */
public final class GradientFlow {
    private GradientFlow() {
    }

    /** How a parameter's gradient looks. */
    public enum Status {
        /** Neither vanishing nor exploding. */
        OK,
        /** The gradient norm, or its ratio to the data norm, is below the threshold: the parameter barely learns. */
        VANISHING,
        /** The gradient norm is above the threshold, or NaN or infinite. */
        EXPLODING,
        /** No gradient reached the parameter (it is unused, frozen, or backward has not run). */
        NO_GRAD
    }

    /**
     * The limits of a healthy gradient. A ratio test is skipped for parameters whose data norm is 0 (such as
     * biases initialised to zero), where the ratio says nothing.
     *
     * @param vanishingNorm  gradient norms below this are VANISHING
     * @param vanishingRatio grad/data norm ratios below this are VANISHING
     * @param explodingNorm  gradient norms above this (or non-finite) are EXPLODING
     */
    public record Thresholds(double vanishingNorm, double vanishingRatio, double explodingNorm) {
        /** Norm below 1e-7 or ratio below 1e-5 is vanishing; norm above 1e3 is exploding. */
        public static final Thresholds DEFAULT = new Thresholds(1e-7, 1e-5, 1e3);

        public Thresholds {
            if (!(vanishingNorm >= 0) || !(vanishingRatio >= 0) || !(explodingNorm > vanishingNorm)) {
                throw new IllegalArgumentException("GradientFlow.Thresholds: expected 0 <= vanishingNorm < explodingNorm and "
                        + "vanishingRatio >= 0, got " + vanishingNorm + ", " + vanishingRatio + ", " + explodingNorm);
            }
        }
    }

    /**
     * One parameter's line of the report. The norms are NaN when the parameter has no gradient; the ratio is NaN
     * also when the data norm is 0.
     */
    public record Entry(String name, Shape shape, double gradNorm, double dataNorm, double ratio, Status status) {
    }

    /** The report: entries in the order of the given map, with a table as {@link #toString()}. */
    public static final class Report {
        private final List<Entry> entries;
        private final Thresholds thresholds;

        Report(List<Entry> entries, Thresholds thresholds) {
            this.entries = Collections.unmodifiableList(entries);
            this.thresholds = thresholds;
        }

        public List<Entry> entries() {
            return entries;
        }

        /** The entry of the named parameter. */
        public Entry get(String name) {
            for (Entry e : entries) {
                if (e.name().equals(name)) return e;
            }
            throw new IllegalArgumentException("GradientFlow.Report: no parameter named '" + name + "'");
        }

        /** The entries flagged VANISHING or EXPLODING. */
        public List<Entry> flagged() {
            List<Entry> out = new ArrayList<>();
            for (Entry e : entries) {
                if (e.status() == Status.VANISHING || e.status() == Status.EXPLODING) out.add(e);
            }
            return out;
        }

        /** Whether no parameter is flagged VANISHING or EXPLODING. */
        public boolean healthy() {
            return flagged().isEmpty();
        }

        @Override
        public String toString() {
            int nameWidth = "parameter".length();
            int shapeWidth = "shape".length();
            for (Entry e : entries) {
                nameWidth = Math.max(nameWidth, e.name().length());
                shapeWidth = Math.max(shapeWidth, e.shape().toString().length());
            }
            String row = "%-" + nameWidth + "s  %-" + shapeWidth + "s  %10s  %10s  %10s  %s%n";
            StringBuilder sb = new StringBuilder();
            sb.append(String.format(Locale.ROOT, row, "parameter", "shape", "grad norm", "data norm", "grad/data", "status"));
            for (Entry e : entries) {
                sb.append(String.format(Locale.ROOT, row, e.name(), e.shape(), number(e.gradNorm()), number(e.dataNorm()),
                        number(e.ratio()), e.status()));
            }
            List<Entry> flagged = flagged();
            if (flagged.isEmpty()) {
                sb.append("no vanishing or exploding gradients");
            } else {
                sb.append(flagged.size()).append(" of ").append(entries.size()).append(" parameters flagged (vanishing: grad norm < ")
                        .append(number(thresholds.vanishingNorm())).append(" or grad/data < ").append(number(thresholds.vanishingRatio()))
                        .append("; exploding: grad norm > ").append(number(thresholds.explodingNorm())).append(" or not finite)");
                if (flagged.stream().anyMatch(e -> e.status() == Status.VANISHING)) {
                    sb.append(System.lineSeparator()).append("  VANISHING: these parameters barely learn; look for saturated sigmoid/tanh, "
                            + "too many layers without residual connections or normalisation, or too-small initial weights");
                }
                if (flagged.stream().anyMatch(e -> e.status() == Status.EXPLODING)) {
                    sb.append(System.lineSeparator()).append("  EXPLODING: steps will overshoot or overflow; look for too-large initial "
                            + "weights or learning rate, or clip with ClipGrad.clipGradNorm");
                }
            }
            return sb.toString();
        }

        private static String number(double v) {
            return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.3e", v);
        }
    }

    /** The report with {@link Thresholds#DEFAULT}. */
    public static Report report(Map<String, Tensor> namedParameters) {
        return report(namedParameters, Thresholds.DEFAULT);
    }

    /**
     * Measures the gradient of every named parameter. The norms are computed on the parameters' device and fetched
     * with one transfer per device.
     */
    public static Report report(Map<String, Tensor> namedParameters, Thresholds thresholds) {
        if (namedParameters == null || thresholds == null) {
            throw new IllegalArgumentException("GradientFlow.report: needs named parameters and thresholds");
        }
        List<String> names = new ArrayList<>(namedParameters.keySet());
        List<Tensor> params = new ArrayList<>(namedParameters.values());
        double[] gradNorms = new double[params.size()];
        double[] dataNorms = new double[params.size()];
        try (Grad.Mode noGrad = Grad.disabled(); Scope scope = Scope.open()) {
            // Two norms per parameter: [grad, data], or [NaN, data] without a gradient.
            List<Tensor> norms = new ArrayList<>(2 * params.size());
            for (int i = 0; i < params.size(); i++) {
                Tensor p = params.get(i);
                if (p == null) throw new IllegalArgumentException("GradientFlow.report: parameter '" + names.get(i) + "' is null");
                if (!p.dtype().isFloating()) {
                    throw new IllegalArgumentException("GradientFlow.report: parameter '" + names.get(i) + "' is " + p.dtype() + ", not floating");
                }
                Tensor g = p.grad();
                norms.add(g == null ? Tensor.full(Double.NaN, DType.FLOAT64, p.device()) : l2(g));
                norms.add(l2(p));
            }
            double[] values = fetch(norms);
            for (int i = 0; i < params.size(); i++) {
                gradNorms[i] = values[2 * i];
                dataNorms[i] = values[2 * i + 1];
            }
        }
        List<Entry> entries = new ArrayList<>(params.size());
        for (int i = 0; i < params.size(); i++) {
            Tensor p = params.get(i);
            double g = gradNorms[i];
            double d = dataNorms[i];
            double ratio = d > 0 && p.grad() != null ? g / d : Double.NaN;
            entries.add(new Entry(names.get(i), p.shape(), g, d, ratio, classify(p.grad() != null, g, ratio, thresholds)));
        }
        return new Report(entries, thresholds);
    }

    static Status classify(boolean hasGrad, double gradNorm, double ratio, Thresholds t) {
        if (!hasGrad) return Status.NO_GRAD;
        if (!Double.isFinite(gradNorm) || gradNorm > t.explodingNorm()) return Status.EXPLODING;
        if (gradNorm < t.vanishingNorm() || ratio < t.vanishingRatio()) return Status.VANISHING; // NaN ratio compares false
        return Status.OK;
    }

    /** The L2 norm as a 0-d float64 tensor on t's device. */
    private static Tensor l2(Tensor t) {
        return t.square().sum().to(DType.FLOAT64).sqrt();
    }

    /** The values of 0-d tensors, with one host transfer per device rather than one per tensor. */
    private static double[] fetch(List<Tensor> scalars) {
        double[] out = new double[scalars.size()];
        Map<Device, List<Integer>> byDevice = new LinkedHashMap<>();
        for (int i = 0; i < scalars.size(); i++) {
            byDevice.computeIfAbsent(scalars.get(i).device(), d -> new ArrayList<>()).add(i);
        }
        for (List<Integer> indices : byDevice.values()) {
            List<Tensor> group = new ArrayList<>(indices.size());
            for (int i : indices) group.add(scalars.get(i));
            double[] values = Tensor.stack(group, 0).toDoubleArray();
            for (int k = 0; k < indices.size(); k++) out[indices.get(k)] = values[k];
        }
        return out;
    }
}
