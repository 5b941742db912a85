package io.jgrad.data;

import io.jgrad.Tensor;

/**
 * The {@link ToyData} classification sets as tensors: x float32 [n, 2], y int64 [n] (class indices), on the
 * default device.
 */
public final class Datasets {
    private Datasets() {
    }

    /** Two interleaving half circles (scikit-learn's make_moons); see {@link ToyData#moons}. */
    public static TensorDataset moons(int n, double noise, long seed) {
        return toTensors(ToyData.moons(n, noise, seed));
    }

    /** A circle inside a circle (scikit-learn's make_circles); see {@link ToyData#circles}. */
    public static TensorDataset circles(int n, double noise, double factor, long seed) {
        return toTensors(ToyData.circles(n, noise, factor, seed));
    }

    /** The CS231n spiral with {@code classes} arms; see {@link ToyData#spirals}. */
    public static TensorDataset spirals(int n, int classes, double noise, long seed) {
        return toTensors(ToyData.spirals(n, classes, noise, seed));
    }

    static TensorDataset toTensors(ToyData data) {
        double[][] points = data.x();
        int[] labels = data.y();
        int n = labels.length;
        float[] x = new float[2 * n];
        long[] y = new long[n];
        for (int i = 0; i < n; i++) {
            x[2 * i] = (float) points[i][0];
            x[2 * i + 1] = (float) points[i][1];
            y[i] = labels[i];
        }
        return new TensorDataset(Tensor.of(x, n, 2), Tensor.of(y, n));
    }
}
