package io.jgrad.data;

import io.jgrad.Device;
import io.jgrad.Generator;
import io.jgrad.Tensor;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Iterates a {@link Dataset} in batches, like PyTorch's {@code DataLoader}. Each batch is assembled on the host and
 * uploaded in one transfer per tensor; a {@link TensorDataset} is gathered straight from a host copy of its tensors.
 * <p>
 * In order by default; with {@link Builder#shuffle(boolean) shuffle}, every epoch visits the examples in a new
 * order drawn from a seed derived from {@code (seed, epoch)}: the same loader seed gives the same sequence of epochs
 * on every run and backend. Without an explicit {@link Builder#seed(long) seed}, a shuffling loader takes its seed
 * from the global generator when it is built (so {@code Tensor.manualSeed} makes it reproducible too).
 * {@link #iterator()} starts the next epoch (0, 1, 2...); {@link #epoch(int)} replays any epoch.
 * <pre>{@code
 * DataLoader loader = DataLoader.builder(train).batchSize(64).shuffle(true).seed(42).build();
 * for (int epoch = 0; epoch < 10; epoch++) {
 *     for (Batch batch : loader) { ... batch.x() ... batch.y() ... }
 * }
 * }</pre>
 * <p>
 * Not thread-safe: each iterator belongs to the thread that made it.
 */
public final class DataLoader implements Iterable<Batch> {
    private final Dataset dataset;
    private final int batchSize;
    private final boolean shuffle;
    private final boolean dropLast;
    private final long seed;
    private final Device device;
    private final AtomicInteger nextEpoch = new AtomicInteger();

    /** Batches of {@code batchSize} in index order, the last one possibly smaller, on the default device. */
    public DataLoader(Dataset dataset, int batchSize) {
        this(builder(dataset).batchSize(batchSize));
    }

    private DataLoader(Builder b) {
        this.dataset = b.dataset;
        this.batchSize = b.batchSize;
        this.shuffle = b.shuffle;
        this.dropLast = b.dropLast;
        this.seed = b.seed != null ? b.seed : (b.shuffle ? Generator.global().nextSeed() : 0);
        this.device = b.device;
    }

    /** Options by name, as PyTorch's keyword arguments: batch size 1, in order, keeping the last batch, the default device. */
    public static Builder builder(Dataset dataset) {
        return new Builder(dataset);
    }

    /** The options of a {@link DataLoader}; each has a default, so set only what differs. */
    public static final class Builder {
        private final Dataset dataset;
        private int batchSize = 1;
        private boolean shuffle;
        private boolean dropLast;
        private Long seed;
        private Device device;

        private Builder(Dataset dataset) {
            this.dataset = Objects.requireNonNull(dataset, "DataLoader: dataset");
        }

        /** Examples per batch (default 1); the last batch may be smaller unless {@link #dropLast(boolean)}. */
        public Builder batchSize(int batchSize) {
            if (batchSize < 1) throw new IllegalArgumentException("DataLoader: batchSize must be at least 1, got " + batchSize);
            this.batchSize = batchSize;
            return this;
        }

        /** Visit the examples in a new seeded order every epoch (default: index order). */
        public Builder shuffle(boolean shuffle) {
            this.shuffle = shuffle;
            return this;
        }

        /** Skip the final batch when it would be smaller than the batch size (default: keep it). */
        public Builder dropLast(boolean dropLast) {
            this.dropLast = dropLast;
            return this;
        }

        /** The shuffle seed (default: drawn from the global generator when the loader is built). */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Where batches land (default: the default device at the time each batch is made). */
        public Builder device(Device device) {
            this.device = device;
            return this;
        }

        public DataLoader build() {
            return new DataLoader(this);
        }
    }

    /** Batches per epoch. */
    public int numBatches() {
        int n = dataset.size();
        return dropLast ? n / batchSize : (n + batchSize - 1) / batchSize;
    }

    public int batchSize() {
        return batchSize;
    }

    public boolean shuffle() {
        return shuffle;
    }

    public boolean dropLast() {
        return dropLast;
    }

    /** The shuffle seed (drawn from the global generator when the builder was given none). */
    public long seed() {
        return seed;
    }

    /** Starts the next epoch: the first call iterates epoch 0, the next epoch 1, and so on. */
    @Override
    public Iterator<Batch> iterator() {
        return epoch(nextEpoch.getAndIncrement()).iterator();
    }

    /** The batches of one epoch, the same every time for a given seed and epoch. */
    public Iterable<Batch> epoch(int epoch) {
        if (epoch < 0) throw new IllegalArgumentException("DataLoader: epoch must be >= 0, got " + epoch);
        return () -> new BatchIterator(order(epoch));
    }

    /**
     * The dataset indices that epoch {@code epoch} visits, in order (all of them, including any that
     * {@code dropLast} leaves out of the batches).
     */
    public int[] order(int epoch) {
        int n = dataset.size();
        int[] order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        if (!shuffle) return order;
        SplittableRandom rng = new SplittableRandom(epochSeed(seed, epoch));
        for (int i = n - 1; i > 0; i--) { // Fisher-Yates
            int j = rng.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    /** Mixes seed and epoch (SplitMix64's finaliser) so that nearby seeds and epochs give unrelated streams. */
    static long epochSeed(long seed, int epoch) {
        long z = seed + 0x9E3779B97F4A7C15L * (epoch + 1L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private Batch makeBatch(int[] order, int from, int count) {
        if (dataset instanceof TensorDataset) {
            TensorDataset td = (TensorDataset) dataset;
            return new Batch(gather(td.hostX(), order, from, count), gather(td.hostY(), order, from, count));
        }
        HostRows xs = null;
        HostRows ys = null;
        for (int j = 0; j < count; j++) {
            int index = order[from + j];
            Example e = dataset.get(index);
            if (xs == null) {
                xs = HostRows.allocate(e.x().dtype(), e.x().shape().toArray(), count);
                ys = HostRows.allocate(e.y().dtype(), e.y().shape().toArray(), count);
            }
            xs.setRow(j, e.x(), "example " + index + " x");
            ys.setRow(j, e.y(), "example " + index + " y");
        }
        return new Batch(xs.toTensor(device), ys.toTensor(device));
    }

    private Tensor gather(HostRows all, int[] order, int from, int count) {
        HostRows rows = HostRows.allocate(all.dtype, all.rowShape, count);
        for (int j = 0; j < count; j++) rows.copyRow(all, order[from + j], j);
        return rows.toTensor(device);
    }

    private final class BatchIterator implements Iterator<Batch> {
        private final int[] order;
        private final int batches = numBatches();
        private int next;

        BatchIterator(int[] order) {
            this.order = order;
        }

        @Override
        public boolean hasNext() {
            return next < batches;
        }

        @Override
        public Batch next() {
            if (!hasNext()) throw new NoSuchElementException("DataLoader: the epoch has " + batches + " batches");
            int from = next++ * batchSize;
            return makeBatch(order, from, Math.min(batchSize, order.length - from));
        }
    }
}
