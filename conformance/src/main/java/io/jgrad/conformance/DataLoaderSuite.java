package io.jgrad.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;


import io.jgrad.DType;
import io.jgrad.Device;
import io.jgrad.Generator;
import io.jgrad.Grad;
import io.jgrad.Tensor;
import io.jgrad.data.Batch;
import io.jgrad.data.DataLoader;
import io.jgrad.data.Dataset;
import io.jgrad.data.Example;
import io.jgrad.data.TensorDataset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;


import org.junit.jupiter.api.Test;

/** TensorDataset and DataLoader: batching, seeded per-epoch shuffling, drop-last, and the batches' contents. */
public abstract class DataLoaderSuite extends DeviceSuite {

    /** Example i: x = [i, 100 + i] (float32), y = i (int64), so every batch shows which examples it holds. */
    private static TensorDataset numbered(int n) {
        float[] x = new float[2 * n];
        long[] y = new long[n];
        for (int i = 0; i < n; i++) {
            x[2 * i] = i;
            x[2 * i + 1] = 100 + i;
            y[i] = i;
        }
        return new TensorDataset(Tensor.of(x, n, 2), Tensor.of(y, n));
    }

    /** The example indices of every batch of one pass, checking that x and y agree. */
    private static List<long[]> pass(Iterable<Batch> batches) {
        List<long[]> out = new ArrayList<>();
        for (Batch b : batches) {
            long[] ids = b.y().toLongArray();
            float[] x = b.x().toFloatArray();
            assertEquals(ids.length, b.size());
            for (int j = 0; j < ids.length; j++) {
                assertEquals(ids[j], x[2 * j], "x row " + j + " belongs to example " + ids[j]);
                assertEquals(100 + ids[j], x[2 * j + 1]);
            }
            out.add(ids);
        }
        return out;
    }

    private static long[] concat(List<long[]> batches) {
        return batches.stream().flatMapToLong(Arrays::stream).toArray();
    }

    private static boolean isPermutation(int[] order) {
        int[] sorted = order.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < sorted.length; i++) if (sorted[i] != i) return false;
        return true;
    }

    @Test
    void batchesInOrderWithoutShuffle() {
        DataLoader loader = new DataLoader(numbered(10), 4);
        assertEquals(3, loader.numBatches());
        List<long[]> batches = pass(loader);
        assertEquals(3, batches.size());
        assertArrayEquals(new long[]{0, 1, 2, 3}, batches.get(0));
        assertArrayEquals(new long[]{4, 5, 6, 7}, batches.get(1));
        assertArrayEquals(new long[]{8, 9}, batches.get(2));
        // every epoch is the same without shuffle
        assertArrayEquals(concat(batches), concat(pass(loader)));
    }

    @Test
    void batchesHaveTheRightShapesDtypesAndDevice() {
        DataLoader loader = new DataLoader(numbered(10), 4);
        Batch first = loader.iterator().next();
        assertEquals(io.jgrad.Shape.of(4, 2), first.x().shape());
        assertEquals(io.jgrad.Shape.of(4), first.y().shape());
        assertEquals(DType.FLOAT32, first.x().dtype());
        assertEquals(DType.INT64, first.y().dtype());
        assertEquals(device(), first.x().device());
        assertEquals(device(), first.y().device());
        first.close();
        assertTrue(first.x().isClosed() && first.y().isClosed());
        // an explicit target device, whatever the default
        Batch onCpu = DataLoader.builder(numbered(10)).batchSize(4).device(Device.CPU).build().iterator().next();
        assertEquals(Device.CPU, onCpu.x().device());
        assertEquals(Device.CPU, onCpu.y().device());
        assertArrayEquals(new long[]{0, 1, 2, 3}, onCpu.y().toLongArray());

        // rows of any rank and dtype keep their shape behind the batch dimension
        Tensor x = Tensor.arange(0, 30, 1, DType.FLOAT64, device()).reshape(5, 2, 3);
        Tensor y = Tensor.arange(0, 10, 1, DType.FLOAT64, device()).reshape(5, 2);
        Batch b = new DataLoader(new TensorDataset(x, y), 2).epoch(0).iterator().next();
        assertEquals(io.jgrad.Shape.of(2, 2, 3), b.x().shape());
        assertEquals(DType.FLOAT64, b.x().dtype());
        assertArrayEquals(new double[]{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, b.x().toDoubleArray());
        assertArrayEquals(new double[]{0, 1, 2, 3}, b.y().toDoubleArray());
    }

    @Test
    void dropLastSkipsTheShortBatch() {
        DataLoader loader = DataLoader.builder(numbered(10)).batchSize(4).shuffle(true).dropLast(true).seed(3).build();
        assertEquals(2, loader.numBatches());
        List<long[]> batches = pass(loader.epoch(0));
        assertEquals(2, batches.size());
        for (long[] b : batches) assertEquals(4, b.length);
        // the batches are the first 8 of the epoch's order
        int[] order = loader.order(0);
        long[] expected = new long[8];
        for (int i = 0; i < 8; i++) expected[i] = order[i];
        assertArrayEquals(expected, concat(batches));

        assertEquals(0, DataLoader.builder(numbered(3)).batchSize(4).dropLast(true).build().numBatches());
        assertEquals(1, new DataLoader(numbered(3), 4).numBatches());
        assertEquals(1, DataLoader.builder(numbered(8)).batchSize(8).dropLast(true).build().numBatches());
        assertEquals(0, new DataLoader(numbered(0), 4).numBatches());
        assertFalse(DataLoader.builder(numbered(0)).batchSize(4).shuffle(true).seed(0).build().iterator().hasNext());
    }

    @Test
    void optionsAreNamedAndDefaultToPyTorchs() {
        DataLoader plain = DataLoader.builder(numbered(10)).build();
        assertEquals(1, plain.batchSize());
        assertFalse(plain.shuffle());
        assertFalse(plain.dropLast());
        assertEquals(10, plain.numBatches());
        DataLoader quick = new DataLoader(numbered(10), 4);
        assertEquals(4, quick.batchSize());
        assertFalse(quick.shuffle() || quick.dropLast());
        DataLoader named = DataLoader.builder(numbered(10)).batchSize(4).dropLast(true).shuffle(true).seed(9).build();
        assertTrue(named.shuffle() && named.dropLast());
        assertEquals(9, named.seed());
        assertEquals(2, named.numBatches());
    }

    @Test
    void shuffleWithoutASeedDrawsItFromTheGlobalGenerator() {
        Generator global = Generator.global();
        long saved = global.seed();
        try {
            Tensor.manualSeed(11);
            int[] first = DataLoader.builder(numbered(30)).batchSize(4).shuffle(true).build().order(0);
            int[] second = DataLoader.builder(numbered(30)).batchSize(4).shuffle(true).build().order(0);
            assertFalse(Arrays.equals(first, second), "each new loader takes the next seed");
            Tensor.manualSeed(11);
            assertArrayEquals(first, DataLoader.builder(numbered(30)).batchSize(4).shuffle(true).build().order(0),
                    "manualSeed makes unseeded shuffling reproducible");
        } finally {
            global.manualSeed(saved);
        }
    }

    @Test
    void shuffleIsSeededPerEpochAndReproducible() {
        TensorDataset data = numbered(50);
        DataLoader loader = DataLoader.builder(data).batchSize(8).shuffle(true).seed(42).build();
        int[] e0 = loader.order(0);
        int[] e1 = loader.order(1);
        assertTrue(isPermutation(e0) && isPermutation(e1));
        assertFalse(Arrays.equals(e0, e1), "each epoch has its own order");
        assertFalse(Arrays.equals(e0, loader.order(2)));
        int[] identity = new int[50];
        Arrays.setAll(identity, i -> i);
        assertFalse(Arrays.equals(identity, e0), "shuffled");

        // the same seed gives the same epochs in a new loader (a new run); another seed does not
        DataLoader again = DataLoader.builder(data).batchSize(8).shuffle(true).seed(42).build();
        assertArrayEquals(e0, again.order(0));
        assertArrayEquals(e1, again.order(1));
        assertFalse(Arrays.equals(e0, DataLoader.builder(data).batchSize(8).shuffle(true).seed(43).build().order(0)));

        // iterating walks epochs 0, 1, ... and visits each example once per epoch, in the epoch's order
        long[] firstPass = concat(pass(loader));
        long[] secondPass = concat(pass(loader));
        assertArrayEquals(Arrays.stream(e0).asLongStream().toArray(), firstPass);
        assertArrayEquals(Arrays.stream(e1).asLongStream().toArray(), secondPass);
        // replaying an epoch gives identical batches
        assertArrayEquals(firstPass, concat(pass(loader.epoch(0))));
    }

    @Test
    void iteratorEndsCleanly() {
        Iterator<Batch> it = new DataLoader(numbered(3), 2).iterator();
        it.next();
        it.next();
        assertFalse(it.hasNext());
        assertThrows(NoSuchElementException.class, it::next);
    }

    @Test
    void anyDatasetIsBatchedLikeATensorDataset() {
        TensorDataset tensors = numbered(9);
        Dataset plain = new Dataset() {
            @Override
            public int size() {
                return tensors.size();
            }

            @Override
            public Example get(int i) {
                return tensors.get(i);
            }
        };
        DataLoader fast = DataLoader.builder(tensors).batchSize(4).shuffle(true).seed(5).build();
        DataLoader general = DataLoader.builder(plain).batchSize(4).shuffle(true).seed(5).build();
        List<long[]> a = pass(fast.epoch(3));
        List<long[]> b = pass(general.epoch(3));
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) assertArrayEquals(a.get(i), b.get(i));
    }

    @Test
    void examplesOfDifferentShapesAreRefused() {
        Dataset ragged = new Dataset() {
            @Override
            public int size() {
                return 3;
            }

            @Override
            public Example get(int i) {
                return new Example(Tensor.zeros(i == 2 ? 3 : 2), Tensor.of(new long[]{i}, 1).reshape());
            }
        };
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new DataLoader(ragged, 3).iterator().next());
        assertTrue(e.getMessage().contains("example 2 x") && e.getMessage().contains("[3]")
                && e.getMessage().contains("[2]"), e.getMessage());
    }

    @Test
    void tensorDatasetIndexesTheFirstDimension() {
        TensorDataset data = numbered(4);
        assertEquals(4, data.size());
        Example e = data.get(2);
        assertArrayEquals(new float[]{2, 102}, e.x().toFloatArray());
        assertEquals(0, e.y().dim());
        assertEquals(2, e.y().toLongArray()[0]);
        assertThrows(IndexOutOfBoundsException.class, () -> data.get(4));
        assertThrows(IndexOutOfBoundsException.class, () -> data.get(-1));
        IllegalArgumentException mismatch = assertThrows(IllegalArgumentException.class,
                () -> new TensorDataset(Tensor.zeros(3, 2), Tensor.zeros(4)));
        assertTrue(mismatch.getMessage().contains("[3, 2]") && mismatch.getMessage().contains("[4]"), mismatch.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new TensorDataset(Tensor.scalar(1f), Tensor.zeros(1)));
        assertThrows(IllegalArgumentException.class, () -> new DataLoader(data, 0));
        assertThrows(IllegalArgumentException.class, () -> new DataLoader(data, 1).epoch(-1));
    }

    @Test
    void seesInPlaceChangesToTheDatasetTensors() {
        TensorDataset data = numbered(4);
        DataLoader loader = new DataLoader(data, 4);
        assertArrayEquals(new float[]{0, 100, 1, 101, 2, 102, 3, 103}, loader.epoch(0).iterator().next().x().toFloatArray());
        try (Grad.Mode ignored = Grad.disabled()) {
            data.x().mulInPlace(2);
        }
        assertArrayEquals(new float[]{0, 200, 2, 202, 4, 204, 6, 206}, loader.epoch(0).iterator().next().x().toFloatArray());
    }
}
