package io.jgrad.cpu;

import io.jgrad.spi.ConvGeometry;
import java.util.Random;

/**
 * A convolution and its gradients in float64 loops written from the definition, for the tests of the CPU's
 * convolution kernels: y = conv(x, w) + bias, and for an output gradient gy the input gradient gx and the weight
 * gradient gw. Any stride, padding, dilation and groups; float inputs, each product formed in float64.
 */
record ConvReference(double[] y, double[] gx, double[] gw) {

    static ConvReference of(ConvGeometry g, float[] x, float[] w, float[] bias, float[] gy) {
        int cig = g.inPerGroup(), og = g.outPerGroup(), kh = g.kernelH(), kw = g.kernelW();
        double[] y = new double[gy.length], gx = new double[x.length], gw = new double[w.length];
        for (int n = 0; n < g.batch(); n++) {
            for (int o = 0; o < g.outChannels(); o++) {
                int gr = o / og;
                for (int oh = 0; oh < g.outH(); oh++) {
                    for (int ow = 0; ow < g.outW(); ow++) {
                        int at = ((n * g.outChannels() + o) * g.outH() + oh) * g.outW() + ow;
                        double sum = bias[o];
                        for (int ci = 0; ci < cig; ci++) {
                            for (int i = 0; i < kh; i++) {
                                for (int j = 0; j < kw; j++) {
                                    int ih = oh * g.strideH() + i * g.dilationH() - g.padTop();
                                    int iw = ow * g.strideW() + j * g.dilationW() - g.padLeft();
                                    if (ih < 0 || ih >= g.inH() || iw < 0 || iw >= g.inW()) continue;
                                    int xi = ((n * g.inChannels() + gr * cig + ci) * g.inH() + ih) * g.inW() + iw;
                                    int wi = ((o * cig + ci) * kh + i) * kw + j;
                                    sum += w[wi] * (double) x[xi];
                                    gw[wi] += gy[at] * (double) x[xi];
                                    gx[xi] += w[wi] * (double) gy[at];
                                }
                            }
                        }
                        y[at] = sum;
                    }
                }
            }
        }
        return new ConvReference(y, gx, gw);
    }

    /** n floats uniform in [-1, 1). */
    static float[] random(Random rnd, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = rnd.nextFloat() * 2 - 1;
        return a;
    }
}
