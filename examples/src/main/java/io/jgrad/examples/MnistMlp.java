package io.jgrad.examples;

import io.jgrad.Device;
import io.jgrad.Generator;
import io.jgrad.Grad;
import io.jgrad.Scope;
import io.jgrad.Tensor;
import io.jgrad.data.Batch;
import io.jgrad.data.DataLoader;
import io.jgrad.data.Mnist;
import io.jgrad.data.TensorDataset;
import io.jgrad.io.Checkpoint;
import io.jgrad.nn.Linear;
import io.jgrad.nn.Losses;
import io.jgrad.nn.Module;
import io.jgrad.nn.ReLU;
import io.jgrad.nn.Sequential;
import io.jgrad.optim.Adam;
import io.jgrad.optim.LrSchedule;
import io.jgrad.optim.Scheduler;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * A multi-layer perceptron (784-256-256-10, ReLU) on MNIST, trained with Adam on standardised pixels; the learning
 * rate decays by a factor of {@value #GAMMA} after every epoch (PyTorch's StepLR).
 * Each epoch prints the training loss and the test accuracy, and saves a checkpoint (model, optimizer, epoch) from
 * which {@code --resume} continues. Shuffling depends only on the seed and the epoch, so a resumed run takes
 * exactly the steps the uninterrupted run would have taken.
 */
@Command(name = "mnist", mixinStandardHelpOptions = true,
        description = "An MLP (784-256-256-10, ReLU, Adam) on MNIST IDX files, with per-epoch checkpoints and resume.")
final class MnistMlp implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(MnistMlp.class);
    private static final String EPOCH_KEY = "epoch";
    private static final String ARCHITECTURE_KEY = "architecture";
    /** The finished epochs' figures, so that a resumed run charts the whole run: see {@link #formatHistory}. */
    private static final String HISTORY_KEY = "history";
    /** The learning rate's decay per epoch. */
    static final double GAMMA = 0.85;
    /**
     * The mean and standard deviation of MNIST's training pixels (scaled to [0, 1]), the customary constants:
     * centred inputs of unit scale train faster and, on 8,000 images, about a point more accurately.
     */
    static final double PIXEL_MEAN = 0.1307;
    static final double PIXEL_STD = 0.3081;

    @ParentCommand
    Main main;

    @Option(names = "--data", required = true, paramLabel = "DIR",
            description = "folder with train-images-idx3-ubyte[.gz], train-labels-idx1-ubyte[.gz], t10k-images-idx3-ubyte[.gz], t10k-labels-idx1-ubyte[.gz]")
    Path data;

    @Option(names = "--epochs", defaultValue = "15", description = "epochs in all, counting resumed ones (default: ${DEFAULT-VALUE})")
    int epochs;

    @Option(names = "--batch-size", defaultValue = "64", description = "examples per step (default: ${DEFAULT-VALUE})")
    int batchSize;

    @Option(names = "--lr", defaultValue = "1e-3", description = "Adam's learning rate in the first epoch, times 0.85 in each next one (default: ${DEFAULT-VALUE})")
    double lr;

    @Option(names = "--hidden", defaultValue = "256", description = "units in each of the two hidden layers (default: ${DEFAULT-VALUE})")
    int hidden;

    @Option(names = "--checkpoint", defaultValue = "out/mnist.safetensors", paramLabel = "FILE",
            description = "checkpoint written after every epoch (default: ${DEFAULT-VALUE})")
    Path checkpoint;

    @Option(names = "--resume", paramLabel = "FILE", description = "continue from this checkpoint, after the epoch it saved")
    Path resume;

    @Option(names = "--out", defaultValue = "out", description = "folder for the loss and accuracy chart (default: ${DEFAULT-VALUE})")
    Path out;

    /** The training run's settings. */
    record Config(int epochs, int batchSize, double lr, int hidden, long seed, Path checkpoint, Path resume) {
        Config {
            if (epochs < 1 || batchSize < 1 || !(lr > 0) || hidden < 1) {
                throw new IllegalArgumentException("mnist: need --epochs >= 1, --batch-size >= 1, --lr > 0 and --hidden >= 1; got "
                        + epochs + ", " + batchSize + ", " + lr + " and " + hidden);
            }
        }
    }

    /** One finished epoch. */
    record EpochStats(int epoch, double trainLoss, double testAccuracy, double seconds, double samplesPerSecond) {
    }

    /**
     * The epochs this run trained (after any resumed ones), the trained model, and the history of the whole run: the
     * resumed checkpoint's epochs followed by this run's.
     */
    record Result(List<EpochStats> epochs, int firstEpoch, Module model, List<EpochStats> history) {
        double testAccuracy() {
            return epochs.isEmpty() ? Double.NaN : epochs.get(epochs.size() - 1).testAccuracy();
        }
    }

    /** The settings the command line gave. */
    Config config() {
        return new Config(epochs, batchSize, lr, hidden, main.seed, checkpoint, resume);
    }

    @Override
    public Integer call() throws Exception {
        Config config = config();
        Device device = main.selectDevice();
        Result r = train(data, config, device, ProgressBar.detectStyle(), System.out);
        if (r.epochs().isEmpty()) return 0; // train() said that nothing was left to do
        EpochStats last = r.epochs().get(r.epochs().size() - 1);
        System.out.printf(Locale.ROOT, "final test accuracy %.2f%% after %s%n", 100 * last.testAccuracy(), epochs(last.epoch()));
        Charts.Series loss = new Charts.Series();
        Charts.Series accuracy = new Charts.Series();
        for (EpochStats e : r.history()) {
            if (Double.isNaN(e.trainLoss())) continue; // an epoch from a checkpoint without history
            loss.add(e.epoch(), e.trainLoss());
            accuracy.add(e.epoch(), e.testAccuracy());
        }
        Path chart = out.resolve("mnist-curves.png");
        if (Charts.writeOrWarn(chart, () -> Charts.writeCurves(chart, "mnist", "epoch", Map.of("train loss", loss),
                Map.of("test accuracy", accuracy)))) {
            LOG.info("Wrote {}", chart);
        }
        return 0;
    }

    /**
     * Trains on the MNIST files in {@code dataDir}, evaluating and checkpointing after every epoch.
     *
     * @param log where progress and per-epoch figures go
     */
    static Result train(Path dataDir, Config c, Device device, ProgressBar.Style style, PrintStream log) throws IOException {
        if (!Files.isDirectory(dataDir)) {
            throw new IllegalArgumentException("mnist: --data " + dataDir.toAbsolutePath() + " is not a folder with the MNIST IDX files");
        }
        Mnist.Split mnist = Mnist.load(dataDir);
        TensorDataset train = standardised(mnist.train());
        TensorDataset test = standardised(mnist.test());
        Tensor testX = Scope.persist(test.x().to(device));
        Tensor testY = Scope.persist(test.y().to(device));

        Module model = model(c.hidden(), new Generator(c.seed())).to(device);
        Adam optimizer = new Adam(model.parameters(), c.lr());
        DataLoader loader = DataLoader.builder(train).batchSize(c.batchSize()).shuffle(true).seed(c.seed()).device(device).build();
        int firstEpoch = 1;
        List<EpochStats> history = new ArrayList<>();
        if (c.resume() != null) {
            history.addAll(resume(c.resume(), model, optimizer, c.hidden()));
            firstEpoch = history.size() + 1;
        }
        // The rate depends only on the step count, which the optimizer's state restores, so a resumed run continues
        // the schedule exactly (a schedule over the total number of epochs would change when --epochs does).
        Scheduler scheduler = new Scheduler(optimizer, LrSchedule.step(c.lr(), loader.numBatches(), GAMMA));
        if (firstEpoch > c.epochs()) {
            log.printf(Locale.ROOT, "mnist: %s already holds %s and --epochs is %d: nothing left to do%n",
                    c.resume(), epochs(firstEpoch - 1), c.epochs());
            log.println("(pass a larger --epochs to train on)");
            return new Result(List.of(), firstEpoch, model, history);
        }
        String range = firstEpoch == c.epochs() ? "epoch " + firstEpoch : "epochs " + firstEpoch + ".." + c.epochs();
        log.printf(Locale.ROOT, "mnist: %,d train / %,d test images; %s on %s%n", train.size(), test.size(),
                architecture(c.hidden()), device);
        log.printf(Locale.ROOT, "training: %s, batch %d, Adam lr %s (x%s per epoch)%n", range, c.batchSize(), c.lr(), GAMMA);

        List<EpochStats> trained = new ArrayList<>();
        for (int epoch = firstEpoch; epoch <= c.epochs(); epoch++) {
            long start = System.nanoTime();
            double trainLoss;
            double throughput;
            model.train();
            try (ProgressBar bar = ProgressBar.create(log, style, String.format(Locale.ROOT, "epoch %d/%d", epoch, c.epochs()),
                    loader.numBatches())) {
                for (Batch batch : loader.epoch(epoch - 1)) {
                    try (Scope scope = Scope.open()) {
                        Tensor loss = Losses.crossEntropy(model.forward(batch.x()), batch.y());
                        optimizer.zeroGrad();
                        loss.backward();
                        optimizer.step();
                        scheduler.step();
                        bar.step(batch.size(), loss.item());
                    }
                }
                trainLoss = bar.meanLoss();
                throughput = bar.throughput();
            }
            double accuracy = accuracy(model, testX, testY);
            double seconds = (System.nanoTime() - start) / 1e9;
            EpochStats stats = new EpochStats(epoch, trainLoss, accuracy, seconds, throughput);
            trained.add(stats);
            history.add(stats);
            log.printf(Locale.ROOT, "epoch %d/%d: train loss %.4f, test accuracy %.2f%%, %.1f s (%,.0f samples/s)%n",
                    epoch, c.epochs(), trainLoss, 100 * accuracy, seconds, throughput);
            if (c.checkpoint() != null) save(c.checkpoint(), model, optimizer, history, c.hidden());
        }
        return new Result(trained, firstEpoch, model, history);
    }

    private static TensorDataset standardised(TensorDataset d) {
        try (Grad.Mode noGrad = Grad.disabled()) {
            return new TensorDataset(Scope.persist(d.x().sub(PIXEL_MEAN).div(PIXEL_STD)), d.y());
        }
    }

    /** 784 -> hidden -> hidden -> 10 with ReLU, PyTorch's default initialisation from the generator. */
    static Sequential model(int hidden, Generator gen) {
        return new Sequential(new Linear(784, hidden, gen), new ReLU(), new Linear(hidden, hidden, gen), new ReLU(),
                new Linear(hidden, 10, gen));
    }

    /** "1 epoch", "2 epochs". */
    static String epochs(int n) {
        return n + (n == 1 ? " epoch" : " epochs");
    }

    private static String architecture(int hidden) {
        return "MLP 784-" + hidden + "-" + hidden + "-10";
    }

    /** The fraction of test images whose highest logit is the label, in eval mode and in chunks. */
    static double accuracy(Module model, Tensor x, Tensor y) {
        model.eval();
        try (Grad.Mode noGrad = Grad.disabled()) {
            double correct = 0;
            int n = x.size(0);
            int chunk = 1000;
            for (int start = 0; start < n; start += chunk) {
                try (Scope scope = Scope.open()) {
                    int len = Math.min(chunk, n - start);
                    Tensor predicted = model.forward(x.narrow(0, start, len)).argmax(1, false);
                    correct += predicted.eq(y.narrow(0, start, len)).sum().item();
                }
            }
            return correct / n;
        } finally {
            model.train();
        }
    }

    private static void save(Path file, Module model, Adam optimizer, List<EpochStats> history, int hidden) throws IOException {
        int epoch = history.get(history.size() - 1).epoch();
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put(EPOCH_KEY, Integer.toString(epoch));
        meta.put(ARCHITECTURE_KEY, architecture(hidden));
        meta.put(HISTORY_KEY, formatHistory(history));
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        Checkpoint.save(file, model.stateDict(), optimizer.stateDict(), meta);
        LOG.info("Saved checkpoint {} (epoch {})", file, epoch);
    }

    /**
     * The history as text: one epoch per line, "epoch trainLoss testAccuracy seconds samplesPerSecond" with the
     * doubles in Java's shortest round-trip form, so that {@link #parseHistory} gives back the same bits.
     */
    static String formatHistory(List<EpochStats> history) {
        StringBuilder b = new StringBuilder();
        for (EpochStats e : history) {
            b.append(e.epoch()).append(' ').append(e.trainLoss()).append(' ').append(e.testAccuracy()).append(' ')
                    .append(e.seconds()).append(' ').append(e.samplesPerSecond()).append('\n');
        }
        return b.toString();
    }

    /** The history that {@link #formatHistory} wrote; throws IllegalArgumentException, naming the line, on bad text. */
    static List<EpochStats> parseHistory(String text) {
        List<EpochStats> history = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank()) continue;
            String[] f = line.trim().split(" ");
            try {
                if (f.length != 5) throw new NumberFormatException("5 fields expected, got " + f.length);
                history.add(new EpochStats(Integer.parseInt(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2]),
                        Double.parseDouble(f[3]), Double.parseDouble(f[4])));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("mnist: bad '" + HISTORY_KEY + "' line in the checkpoint: '" + line + "' (" + e.getMessage() + ")", e);
            }
        }
        return history;
    }

    /**
     * Restores model and optimizer from a checkpoint and returns the history of the epochs it holds. A checkpoint
     * from before the history was kept gives placeholder epochs (NaN figures, left out of the chart).
     */
    private static List<EpochStats> resume(Path file, Module model, Adam optimizer, int hidden) throws IOException {
        if (!Files.isRegularFile(file)) throw new IllegalArgumentException("mnist: --resume " + file.toAbsolutePath() + " is not a file");
        Checkpoint ck = Checkpoint.load(file);
        String saved = ck.metadata().get(ARCHITECTURE_KEY);
        if (saved != null && !saved.equals(architecture(hidden))) {
            throw new IllegalArgumentException("mnist: checkpoint " + file + " was saved from " + saved + ", but this run builds "
                    + architecture(hidden) + "; pass the same --hidden");
        }
        String epochText = ck.metadata().get(EPOCH_KEY);
        int epoch;
        try {
            epoch = Integer.parseInt(epochText);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("mnist: checkpoint " + file + " has no valid '" + EPOCH_KEY + "' metadata (got " + epochText + ")", e);
        }
        String historyText = ck.metadata().get(HISTORY_KEY);
        List<EpochStats> history = historyText == null ? new ArrayList<>() : parseHistory(historyText);
        if (history.size() != epoch || (epoch > 0 && history.get(epoch - 1).epoch() != epoch)) {
            LOG.warn("Checkpoint {} has no history of its {}; the chart shows only the epochs trained from now on", file, epochs(epoch));
            history.clear();
            for (int e = 1; e <= epoch; e++) history.add(new EpochStats(e, Double.NaN, Double.NaN, Double.NaN, Double.NaN));
        }
        model.loadStateDict(ck.model());
        optimizer.loadStateDict(ck.optimizer());
        LOG.info("Resumed from {}: {} done, optimizer at step {}", file, epochs(epoch), optimizer.stepCount());
        return history;
    }
}
