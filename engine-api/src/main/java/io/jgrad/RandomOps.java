package io.jgrad;

import io.jgrad.spi.CounterRandom;
import io.jgrad.spi.Distribution;
import io.jgrad.spi.View;
import java.util.Arrays;

/**
 * Random vocabulary beyond rand and randn: randint, randperm, bernoulli, multinomial and the in-place initialisers.
 * Every draw takes one sub-seed from a {@link Generator}, and the numbers depend only on that seed, never on the
 * backend: randint and bernoulli compare or scale the {@link CounterRandom} uniforms (float64, exact on every device),
 * and randperm and multinomial, which are sequential by nature, run on the host from the same stream and upload
 * their result.
 */
final class RandomOps {
    private RandomOps() {
    }

    private static void generator(String op, Generator gen) {
        if (gen == null) throw new IllegalArgumentException(op + ": generator is null (use Generator.global() for the global one)");
    }

    /** Integers uniform on [low, high), int64: floor(u * (high - low)) + low from float64 uniforms. */
    static Tensor randint(long low, long high, Device device, Generator gen, int[] shape) {
        generator("randint", gen);
        if (low >= high) throw new IllegalArgumentException("randint: low must be smaller than high, got [" + low + ", " + high + ")");
        long range;
        try {
            range = Math.subtractExact(high, low);
        } catch (ArithmeticException e) {
            range = Long.MAX_VALUE;
        }
        if (range > (1L << 53)) {
            throw new IllegalArgumentException("randint: the range [" + low + ", " + high + ") is wider than 2^53, more than float64 uniforms resolve");
        }
        View.numel("randint", shape);
        try (Grad.Mode ignored = Grad.disabled()) {
            Tensor u = Tensor.random(Distribution.UNIFORM, 0, 1, DType.FLOAT64, device, gen, shape);
            Tensor k = u.mul((double) range).to(DType.INT64); // truncation is floor: the product is non-negative
            // u < 1, but u * range can round up to range itself: clamp to the last value
            k = k.minimum(Tensor.full(range - 1, DType.INT64, device));
            return low == 0 ? k : k.add(low);
        }
    }

    /** A random permutation of 0..n-1 (int64): Fisher-Yates on the host from the generator's stream. */
    static Tensor randperm(int n, Device device, Generator gen) {
        generator("randperm", gen);
        if (n < 0) throw new IllegalArgumentException("randperm: n must be non-negative, got " + n);
        long seed = gen.nextSeed();
        long[] p = new long[n];
        for (int i = 0; i < n; i++) p[i] = i;
        for (int i = n - 1; i > 0; i--) {
            int j = (int) Math.min(i, (long) (CounterRandom.uniform(seed, i) * (i + 1)));
            long t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return Tensor.of(p, device, n);
    }

    /** 1 with probability p (element-wise), else 0, in p's dtype; p must be floating, in [0, 1] (checked on the CPU). */
    static Tensor bernoulli(Tensor p, Generator gen) {
        generator("bernoulli", gen);
        p.view();
        if (!p.dtype().isFloating()) {
            throw new IllegalArgumentException("bernoulli: probabilities must be floating, got " + p.dtype() + p.shape());
        }
        if (p.device().equals(Device.CPU)) {
            for (double v : p.toDoubleArray()) {
                if (!(v >= 0 && v <= 1)) {
                    throw new IllegalArgumentException("bernoulli: probabilities must lie in [0, 1], got " + v + " in shape " + p.shape());
                }
            }
        }
        try (Grad.Mode ignored = Grad.disabled()) {
            Tensor u = Tensor.random(Distribution.UNIFORM, 0, 1, DType.FLOAT64, p.device(), gen, p.shapeArray());
            return u.lt(p.detach().to(DType.FLOAT64)).to(p.dtype());
        }
    }

    /** A tensor like x (shape, dtype, device) of 1 with probability {@code prob}, else 0. */
    static Tensor bernoulli(Tensor x, double prob, Generator gen) {
        generator("bernoulli", gen);
        x.view();
        if (!(prob >= 0 && prob <= 1)) throw new IllegalArgumentException("bernoulli: probability must lie in [0, 1], got " + prob);
        try (Grad.Mode ignored = Grad.disabled()) {
            Tensor u = Tensor.random(Distribution.UNIFORM, 0, 1, DType.FLOAT64, x.device(), gen, x.shapeArray());
            return u.lt(prob).to(x.dtype());
        }
    }

    /**
     * torch.multinomial: numSamples category indices (int64) per row of non-negative weights (1-D [c] or 2-D [n, c]),
     * by inverse CDF; without replacement each drawn category leaves the row. Runs on the host.
     */
    static Tensor multinomial(Tensor probs, int numSamples, boolean replacement, Generator gen) {
        generator("multinomial", gen);
        probs.view();
        if (!probs.dtype().isFloating()) {
            throw new IllegalArgumentException("multinomial: probabilities must be floating, got " + probs.dtype() + probs.shape());
        }
        if (probs.dim() < 1 || probs.dim() > 2) {
            throw new IllegalArgumentException("multinomial: probabilities must be 1-D or 2-D, got shape " + probs.shape());
        }
        int rows = probs.dim() == 1 ? 1 : probs.shape[0], c = probs.shape[probs.dim() - 1];
        if (numSamples <= 0) throw new IllegalArgumentException("multinomial: numSamples must be positive, got " + numSamples);
        if (c == 0) throw new IllegalArgumentException("multinomial: no categories to sample from (shape " + probs.shape() + ")");
        if (!replacement && numSamples > c) {
            throw new IllegalArgumentException("multinomial: cannot draw " + numSamples + " samples without replacement from "
                    + c + " categories (shape " + probs.shape() + ")");
        }
        double[] w = probs.toDoubleArray();
        long seed = gen.nextSeed();
        long[] out = new long[Math.multiplyExact(rows, numSamples)];
        for (int r = 0; r < rows; r++) {
            double[] row = Arrays.copyOfRange(w, r * c, (r + 1) * c);
            int positive = 0;
            for (double v : row) {
                if (!(v >= 0) || Double.isInfinite(v)) {
                    throw new IllegalArgumentException("multinomial: probabilities must be finite and non-negative, got " + v
                            + " in row " + r + " of shape " + probs.shape());
                }
                if (v > 0) positive++;
            }
            if (positive == 0) throw new IllegalArgumentException("multinomial: row " + r + " of shape " + probs.shape() + " sums to 0");
            if (!replacement && numSamples > positive) {
                throw new IllegalArgumentException("multinomial: cannot draw " + numSamples + " samples without replacement from row "
                        + r + ", which has only " + positive + " categories of non-zero probability");
            }
            for (int s = 0; s < numSamples; s++) {
                int pick = draw(row, CounterRandom.uniform(seed, (long) r * numSamples + s));
                out[r * numSamples + s] = pick;
                if (!replacement) row[pick] = 0;
            }
        }
        return probs.dim() == 1 ? Tensor.of(out, probs.device(), numSamples) : Tensor.of(out, probs.device(), rows, numSamples);
    }

    /** The first category whose cumulative weight exceeds u * total; zero weights are never picked. */
    private static int draw(double[] row, double u) {
        double total = 0;
        for (double v : row) total += v;
        double target = u * total, cum = 0;
        int lastPositive = -1;
        for (int i = 0; i < row.length; i++) {
            if (row[i] <= 0) continue;
            cum += row[i];
            lastPositive = i;
            if (cum > target) return i;
        }
        return lastPositive; // rounding left target at the very top
    }

    /** Overwrites t with draws of {@code distribution} in place (torch's normal_ and uniform_): outside the graph. */
    static Tensor fillInPlace(String op, Tensor t, Distribution distribution, double a, double b, Generator gen) {
        generator(op, gen);
        View v = t.view();
        if (!t.dtype().isFloating()) throw new IllegalArgumentException(op + ": expects a floating tensor, got " + t.dtype() + t.shape());
        if (distribution == Distribution.UNIFORM && !(a <= b)) {
            throw new IllegalArgumentException(op + ": needs from <= to, got [" + a + ", " + b + ")");
        }
        if (distribution == Distribution.NORMAL && !(b >= 0)) throw new IllegalArgumentException(op + ": needs std >= 0, got " + b);
        if (Grad.isEnabled() && t.requiresGrad) {
            throw new IllegalStateException(op + ": tensor of shape " + t.shape() + " requires grad; in-place initialisation of it"
                    + " must run inside Grad.disabled()");
        }
        for (int i = 0; i < v.rank(); i++) {
            if (v.strides[i] == 0 && v.shape[i] > 1) {
                throw new IllegalArgumentException(op + ": cannot write in place into an expanded tensor of shape " + t.shape()
                        + " (several elements share memory); call contiguous() first");
            }
        }
        t.backend().random(v, distribution, gen.nextSeed(), a, b);
        t.storage.version++;
        return t;
    }
}
