package io.jgrad.conformance;

import static io.jgrad.conformance.KernelViews.input;
import static io.jgrad.conformance.KernelViews.output;
import static io.jgrad.conformance.KernelViews.read;
import static io.jgrad.conformance.KernelViews.uniform;

import io.jgrad.DType;
import io.jgrad.conformance.KernelViews.Layout;
import io.jgrad.conformance.KernelViews.Operand;
import io.jgrad.spi.Backend;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The fused layer-norm kernels ({@code Backend.layerNormForward/Backward}): each backend's override against the SPI
 * default ({@link KernelConformance.DefaultsOnly} on the same backend) and against the float64 math, over shapes
 * with ragged widths, one row, many row blocks (the backward's column sums), strided inputs and outputs, and every
 * combination of missing weight, bias and wanted gradients.
 */
public abstract class LayerNormKernelConformance extends KernelConformance {
    private static final int[][] SHAPES = {{1, 1}, {1, 7}, {3, 5}, {17, 64}, {512, 64}, {130, 33}, {6, 256}, {200, 3}};

    @Test
    public void forwardAndBackwardAgreeWithTheDefaultAndTheMath() {
        Backend be = backend();
        Backend defaults = new DefaultsOnly(be);
        for (DType dt : FLOATS) {
            for (int s = 0; s < SHAPES.length; s++) {
                for (int variant = 0; variant < 4; variant++) {
                    Random rnd = new Random(41_000 + 100 * dt.ordinal() + 10 * s + variant);
                    int n = SHAPES[s][0], c = SHAPES[s][1];
                    int[] shape = {n, c}, vec = {c}, stats = {n};
                    boolean hasWeight = variant != 1, hasBias = variant != 2;
                    double offset = 3 * rnd.nextGaussian(); // a mean far from 0: the variance must not cancel
                    Layout xLayout = variant == 3 ? Layout.TRANSPOSED : s % 2 == 1 ? Layout.SLICED : Layout.CONTIGUOUS;
                    Operand x = input(be, dt, shape, xLayout, rnd, uniform(rnd, offset - 2, offset + 2));
                    Operand w = hasWeight ? input(be, dt, vec, s % 3 == 2 ? Layout.STEPPED : Layout.CONTIGUOUS, rnd, uniform(rnd, 0.5, 2)) : null;
                    Operand b = hasBias ? input(be, dt, vec, Layout.CONTIGUOUS, rnd, uniform(rnd, -1, 1)) : null;
                    double eps = variant == 0 ? 1e-5 : 1e-3;
                    Operand[] mine = {output(be, dt, shape, s % 2 == 0 ? Layout.SLICED : Layout.CONTIGUOUS, rnd),
                            output(be, dt, stats, Layout.CONTIGUOUS, rnd), output(be, dt, stats, s % 2 == 1 ? Layout.STEPPED : Layout.CONTIGUOUS, rnd)};
                    Operand[] ref = {output(be, dt, shape, Layout.CONTIGUOUS, rnd), output(be, dt, stats, Layout.CONTIGUOUS, rnd),
                            output(be, dt, stats, Layout.CONTIGUOUS, rnd)};
                    be.layerNormForward(mine[0].view, mine[1].view, mine[2].view, x.view, view(w), view(b), eps);
                    defaults.layerNormForward(ref[0].view, ref[1].view, ref[2].view, x.view, view(w), view(b), eps);
                    String what = "layerNormForward " + dt + " " + x + " weight " + hasWeight + " bias " + hasBias;

                    // the math in float64
                    double[] mean = new double[n], rstd = new double[n], out = new double[n * c];
                    for (int r = 0; r < n; r++) {
                        double sum = 0, sq = 0;
                        for (int j = 0; j < c; j++) sum += x.values[r * c + j];
                        mean[r] = sum / c;
                        for (int j = 0; j < c; j++) sq += (x.values[r * c + j] - mean[r]) * (x.values[r * c + j] - mean[r]);
                        rstd[r] = 1 / Math.sqrt(sq / c + eps);
                        for (int j = 0; j < c; j++) {
                            out[r * c + j] = (x.values[r * c + j] - mean[r]) * rstd[r] * (hasWeight ? w.values[j] : 1) + (hasBias ? b.values[j] : 0);
                        }
                    }
                    double[][] math = {out, mean, rstd};
                    double tol = dt == DType.FLOAT32 ? 2e-5 : 1e-12;
                    for (int i = 0; i < 3; i++) {
                        String part = what + " " + new String[]{"out", "mean", "rstd"}[i];
                        double[] got = read(be, mine[i].view), want = read(be, ref[i].view);
                        for (int k = 0; k < got.length; k++) {
                            assertClose(want[k], got[k], tol, tol, part + " (default)", k, "");
                            assertClose(math[i][k], got[k], tol, tol, part + " (math)", k, "");
                        }
                    }

                    // backward, from the forward's statistics, wanting a varying set of gradients
                    boolean wantX = variant != 2 || s % 2 == 0, wantW = hasWeight && variant != 3, wantB = hasBias && s % 3 != 1;
                    Operand g = input(be, dt, shape, s % 4 == 3 ? Layout.SLICED : Layout.CONTIGUOUS, rnd, uniform(rnd, -1, 1));
                    Operand[] gm = {output(be, dt, shape, Layout.CONTIGUOUS, rnd), output(be, dt, vec, Layout.CONTIGUOUS, rnd),
                            output(be, dt, vec, s % 2 == 0 ? Layout.STEPPED : Layout.CONTIGUOUS, rnd)};
                    Operand[] gr = {output(be, dt, shape, Layout.CONTIGUOUS, rnd), output(be, dt, vec, Layout.CONTIGUOUS, rnd),
                            output(be, dt, vec, Layout.CONTIGUOUS, rnd)};
                    be.layerNormBackward(wantX ? gm[0].view : null, wantW ? gm[1].view : null, wantB ? gm[2].view : null, g.view,
                            x.view, mine[1].view, mine[2].view, view(w));
                    defaults.layerNormBackward(wantX ? gr[0].view : null, wantW ? gr[1].view : null, wantB ? gr[2].view : null, g.view,
                            x.view, mine[1].view, mine[2].view, view(w));
                    double[] gx = new double[n * c], gw = new double[c], gb = new double[c];
                    for (int r = 0; r < n; r++) {
                        double a = 0, p = 0;
                        for (int j = 0; j < c; j++) {
                            double xhat = (x.values[r * c + j] - mean[r]) * rstd[r], gv = g.values[r * c + j];
                            double gwv = gv * (hasWeight ? w.values[j] : 1);
                            a += gwv;
                            p += gwv * xhat;
                            gw[j] += gv * xhat;
                            gb[j] += gv;
                        }
                        for (int j = 0; j < c; j++) {
                            double xhat = (x.values[r * c + j] - mean[r]) * rstd[r];
                            gx[r * c + j] = rstd[r] * (g.values[r * c + j] * (hasWeight ? w.values[j] : 1) - a / c - xhat * p / c);
                        }
                    }
                    double[][] backMath = {gx, gw, gb};
                    boolean[] wanted = {wantX, wantW, wantB};
                    for (int i = 0; i < 3; i++) {
                        if (!wanted[i]) continue;
                        String part = "layerNormBackward " + dt + " " + x + " " + new String[]{"gradX", "gradWeight", "gradBias"}[i];
                        double[] got = read(be, gm[i].view), want = read(be, gr[i].view);
                        // gradX subtracts nearly equal terms, the column sums add many: compare relative to the scale
                        double scale = 0;
                        for (double v : backMath[i]) scale = Math.max(scale, Math.abs(v));
                        double btol = (dt == DType.FLOAT32 ? 2e-5 : 1e-11) * Math.max(1, scale);
                        for (int k = 0; k < got.length; k++) {
                            assertClose(want[k], got[k], 0, btol, part + " (default)", k, "");
                            assertClose(backMath[i][k], got[k], 0, btol, part + " (math)", k, "");
                        }
                    }
                }
            }
        }
    }

    @Test
    public void badOperandsAreRefusedNamingTheKernel() {
        Backend be = backend();
        Random rnd = new Random(5);
        Operand x = input(be, DType.FLOAT32, new int[]{4, 3}, Layout.CONTIGUOUS, rnd, uniform(rnd, -1, 1));
        Operand out = output(be, DType.FLOAT32, new int[]{4, 3}, Layout.CONTIGUOUS, rnd);
        Operand stats = output(be, DType.FLOAT32, new int[]{4}, Layout.CONTIGUOUS, rnd);
        Operand wrong = output(be, DType.FLOAT32, new int[]{5}, Layout.CONTIGUOUS, rnd);
        Operand doubles = output(be, DType.FLOAT64, new int[]{4}, Layout.CONTIGUOUS, rnd);
        for (Operand bad : new Operand[]{wrong, doubles}) {
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> be.layerNormForward(out.view, bad.view, stats.view, x.view, null, null, 1e-5));
            org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("layerNormForward"), e.getMessage());
        }
    }

    private static io.jgrad.spi.View view(Operand o) {
        return o == null ? null : o.view;
    }
}
