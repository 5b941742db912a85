/**
 * Data for training: the {@link io.jgrad.data.Dataset} interface and {@link io.jgrad.data.TensorDataset}, the
 * batching, seeded-shuffling {@link io.jgrad.data.DataLoader}, toy classification sets
 * ({@link io.jgrad.data.Datasets}), the MNIST IDX reader ({@link io.jgrad.data.Mnist}) and a makemore-style
 * character vocabulary ({@link io.jgrad.data.CharVocab}).
 */
package io.jgrad.data;
