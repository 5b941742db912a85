package io.jgrad.examples;

import io.jgrad.Device;
import io.jgrad.Grad;
import io.jgrad.Scope;
import io.jgrad.Tensor;
import io.jgrad.amp.Autocast;
import io.jgrad.amp.GradScaler;
import io.jgrad.data.Batch;
import io.jgrad.data.DataLoader;
import io.jgrad.data.Mnist;
import io.jgrad.data.TensorDataset;
import io.jgrad.io.Checkpoint;
import io.jgrad.nn.Losses;
import io.jgrad.nn.Module;
import io.jgrad.optim.LrSchedule;
import io.jgrad.optim.Optimizer;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the MNIST examples ({@code mnist}, {@code cnn}) share: loading and standardising the images, the epoch loop
 * with its progress display, evaluation, per-epoch checkpoints (model, optimizer, epoch, architecture and the metric
 * history) and resuming from them, and the loss/accuracy chart. Each example supplies a {@link Recipe}: its model,
 * optimizer, schedule and input layout. {@link Precision} adds autocast and loss scaling ({@code --precision}). Shuffling depends only on the seed and the epoch, and the learning rate only
 * on the optimizer's restored step count, so a resumed run takes exactly the steps the uninterrupted run would have.
 */
final class MnistTraining {

    private static final Logger LOG = LoggerFactory.getLogger(MnistTraining.class);
    static final String EPOCH_KEY = "epoch";
    static final String ARCHITECTURE_KEY = "architecture";
    /** The finished epochs' figures, so that a resumed run charts the whole run: see {@link #formatHistory}. */
    static final String HISTORY_KEY = "history";
    /**
     * The mean and standard deviation of MNIST's training pixels (scaled to [0, 1]), the customary constants:
     * centred inputs of unit scale train faster and, on 8,000 images, about a point more accurately.
     */
    static final double PIXEL_MEAN = 0.1307;
    static final double PIXEL_STD = 0.3081;

    private MnistTraining() {
    }

    /** What differs between the MNIST examples. */
    interface Recipe {
        /** The command's name, which prefixes its messages ("mnist", "cnn"). */
        String command();

        /** A one-line description of the model, kept in the checkpoint and checked on resume. */
        String architecture();

        /** The command-line options that decide the architecture, named when a resume finds another one. */
        String architectureOptions();

        /** A new model, on the CPU, initialised from the run's seed. */
        Module model();

        Optimizer optimizer(Module model);

        /** The learning rate by step, given the steps in an epoch. */
        LrSchedule schedule(int stepsPerEpoch);

        /** How the optimizer and schedule read in the run's header ("Adam lr 0.001 (x0.85 per epoch)"). */
        String optimizerDescription();

        /** Standardised images [n, 784] in the layout the model takes (the MLP: as they are; a CNN: [n, 1, 28, 28]). */
        Tensor layout(Tensor images);

        /** The training batch as the model sees it: augmentation goes here. The default passes it through. */
        default Tensor augment(Tensor x, int epoch, int step) {
            return x;
        }
    }

    /** The run's data, epochs, batch size, seed, files and precision. */
    record Run(Path data, int epochs, int batchSize, long seed, Path checkpoint, Path resume, Precision precision) {
    }

    /** One finished epoch. */
    record EpochStats(int epoch, double trainLoss, double testAccuracy, double seconds, double samplesPerSecond) {
    }

    /**
     * The epochs this run trained (after any resumed ones), the trained model, the history of the whole run (the
     * resumed checkpoint's epochs followed by this run's) and the test set in the model's layout.
     */
    record Result(List<EpochStats> epochs, int firstEpoch, Module model, List<EpochStats> history, TensorDataset test) {
        double testAccuracy() {
            return epochs.isEmpty() ? Double.NaN : epochs.get(epochs.size() - 1).testAccuracy();
        }
    }

    /**
     * Trains on the MNIST files in {@code run.data()}, evaluating and checkpointing after every epoch.
     *
     * @param log where progress and per-epoch figures go
     */
    static Result train(Recipe recipe, Run run, Device device, ProgressBar.Style style, PrintStream log) throws IOException {
        String cmd = recipe.command();
        Path dataDir = run.data();
        if (!Files.isDirectory(dataDir)) {
            throw new IllegalArgumentException(cmd + ": --data " + dataDir.toAbsolutePath() + " is not a folder with the MNIST IDX files");
        }
        Mnist.Split mnist = Mnist.load(dataDir);
        TensorDataset train = prepared(recipe, mnist.train());
        TensorDataset test = prepared(recipe, mnist.test());
        Tensor testX = Scope.persist(test.x().to(device));
        Tensor testY = Scope.persist(test.y().to(device));

        Module model = recipe.model().to(device);
        Optimizer optimizer = recipe.optimizer(model);
        Precision precision = run.precision();
        GradScaler scaler = precision.scaler();
        DataLoader loader = DataLoader.builder(train).batchSize(run.batchSize()).shuffle(true).seed(run.seed()).device(device).build();
        int firstEpoch = 1;
        List<EpochStats> history = new ArrayList<>();
        if (run.resume() != null) {
            history.addAll(resume(recipe, run.resume(), model, optimizer, scaler));
            firstEpoch = history.size() + 1;
        }
        // The rate depends only on the step count, which the optimizer's state restores, so a resumed run continues
        // the schedule exactly (a schedule over the total number of epochs would change when --epochs does).
        Scheduler scheduler = new Scheduler(optimizer, recipe.schedule(loader.numBatches()));
        if (firstEpoch > run.epochs()) {
            log.printf(Locale.ROOT, "%s: %s already holds %s and --epochs is %d: nothing left to do%n",
                    cmd, run.resume(), epochs(firstEpoch - 1), run.epochs());
            log.println("(pass a larger --epochs to train on)");
            return new Result(List.of(), firstEpoch, model, history, test);
        }
        String range = firstEpoch == run.epochs() ? "epoch " + firstEpoch : "epochs " + firstEpoch + ".." + run.epochs();
        log.printf(Locale.ROOT, "%s: %,d train / %,d test images; %s on %s%n", cmd, train.size(), test.size(),
                recipe.architecture(), device);
        log.printf(Locale.ROOT, "training: %s, batch %d, %s, %s%n", range, run.batchSize(), recipe.optimizerDescription(),
                precision.describe());

        List<EpochStats> trained = new ArrayList<>();
        for (int epoch = firstEpoch; epoch <= run.epochs(); epoch++) {
            long start = System.nanoTime();
            double trainLoss;
            double throughput;
            model.train();
            try (ProgressBar bar = ProgressBar.create(log, style, String.format(Locale.ROOT, "epoch %d/%d", epoch, run.epochs()),
                    loader.numBatches())) {
                int step = 0;
                for (Batch batch : loader.epoch(epoch - 1)) {
                    try (Scope scope = Scope.open()) {
                        Tensor x = recipe.augment(batch.x(), epoch, step++);
                        Tensor loss;
                        try (Autocast ac = precision.autocast()) {
                            loss = Losses.crossEntropy(model.forward(x), batch.y());
                        }
                        optimizer.zeroGrad();
                        scaler.scale(loss).backward();
                        scaler.step(optimizer); // skipped when an fp16 gradient overflowed
                        scaler.update();
                        scheduler.step();
                        bar.step(batch.size(), loss.item());
                    }
                }
                trainLoss = bar.meanLoss();
                throughput = bar.throughput();
            }
            double accuracy;
            try (Autocast ac = precision.autocast()) {
                accuracy = accuracy(model, testX, testY);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            EpochStats stats = new EpochStats(epoch, trainLoss, accuracy, seconds, throughput);
            trained.add(stats);
            history.add(stats);
            log.printf(Locale.ROOT, "epoch %d/%d: train loss %.4f, test accuracy %.2f%%, %.1f s (%,.0f samples/s)%n",
                    epoch, run.epochs(), trainLoss, 100 * accuracy, seconds, throughput);
            if (run.checkpoint() != null) save(recipe, run.checkpoint(), model, optimizer, history, precision.metadata(scaler));
        }
        return new Result(trained, firstEpoch, model, history, test);
    }

    private static TensorDataset prepared(Recipe recipe, TensorDataset d) {
        try (Grad.Mode noGrad = Grad.disabled()) {
            return new TensorDataset(Scope.persist(recipe.layout(d.x().sub(PIXEL_MEAN).div(PIXEL_STD))), d.y());
        }
    }

    /** "1 epoch", "2 epochs". */
    static String epochs(int n) {
        return n + (n == 1 ? " epoch" : " epochs");
    }

    /** The fraction of test images whose highest logit is the label, in eval mode and in chunks. */
    static double accuracy(Module model, Tensor x, Tensor y) {
        long[] predicted = predictions(model, x);
        long[] labels = y.toLongArray();
        int correct = 0;
        for (int i = 0; i < labels.length; i++) if (predicted[i] == labels[i]) correct++;
        return (double) correct / labels.length;
    }

    /** The predicted class of every row of x, in eval mode and in chunks. */
    static long[] predictions(Module model, Tensor x) {
        model.eval();
        try (Grad.Mode noGrad = Grad.disabled()) {
            int n = x.size(0);
            long[] out = new long[n];
            int chunk = 500;
            for (int start = 0; start < n; start += chunk) {
                try (Scope scope = Scope.open()) {
                    int len = Math.min(chunk, n - start);
                    long[] p = model.forward(x.narrow(0, start, len)).argmax(1, false).toLongArray();
                    System.arraycopy(p, 0, out, start, len);
                }
            }
            return out;
        } finally {
            model.train();
        }
    }

    /** The loss and accuracy curves of the whole run, {@code <command>-curves.png} in {@code out}. */
    static void writeCurves(String command, Path out, List<EpochStats> history) {
        Charts.Series loss = new Charts.Series();
        Charts.Series accuracy = new Charts.Series();
        for (EpochStats e : history) {
            if (Double.isNaN(e.trainLoss())) continue; // an epoch from a checkpoint without history
            loss.add(e.epoch(), e.trainLoss());
            accuracy.add(e.epoch(), e.testAccuracy());
        }
        Path chart = out.resolve(command + "-curves.png");
        if (Charts.writeOrWarn(chart, () -> Charts.writeCurves(chart, command, "epoch", Map.of("train loss", loss),
                Map.of("test accuracy", accuracy)))) {
            LOG.info("Wrote {}", chart);
        }
    }

    private static void save(Recipe recipe, Path file, Module model, Optimizer optimizer, List<EpochStats> history,
                             Map<String, String> precision) throws IOException {
        int epoch = history.get(history.size() - 1).epoch();
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put(EPOCH_KEY, Integer.toString(epoch));
        meta.put(ARCHITECTURE_KEY, recipe.architecture());
        meta.put(HISTORY_KEY, formatHistory(history));
        meta.putAll(precision);
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
                throw new IllegalArgumentException("bad '" + HISTORY_KEY + "' line in the checkpoint: '" + line + "' (" + e.getMessage() + ")", e);
            }
        }
        return history;
    }

    /**
     * Restores model and optimizer from a checkpoint and returns the history of the epochs it holds. A checkpoint
     * from before the history was kept gives placeholder epochs (NaN figures, left out of the chart).
     */
    private static List<EpochStats> resume(Recipe recipe, Path file, Module model, Optimizer optimizer, GradScaler scaler)
            throws IOException {
        String cmd = recipe.command();
        if (!Files.isRegularFile(file)) throw new IllegalArgumentException(cmd + ": --resume " + file.toAbsolutePath() + " is not a file");
        Checkpoint ck = Checkpoint.load(file);
        String saved = ck.metadata().get(ARCHITECTURE_KEY);
        if (saved != null && !saved.equals(recipe.architecture())) {
            throw new IllegalArgumentException(cmd + ": checkpoint " + file + " was saved from " + saved + ", but this run builds "
                    + recipe.architecture() + "; pass the same " + recipe.architectureOptions());
        }
        String epochText = ck.metadata().get(EPOCH_KEY);
        int epoch;
        try {
            epoch = Integer.parseInt(epochText);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(cmd + ": checkpoint " + file + " has no valid '" + EPOCH_KEY + "' metadata (got " + epochText + ")", e);
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
        Precision.restore(scaler, ck.metadata());
        LOG.info("Resumed from {}: {} done, optimizer at step {}", file, epochs(epoch), optimizer.stepCount());
        return history;
    }
}
