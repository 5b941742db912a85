package io.jgrad.examples;

import io.jgrad.Device;
import io.jgrad.Generator;
import io.jgrad.Grad;
import io.jgrad.Scope;
import io.jgrad.Tensor;
import io.jgrad.amp.Autocast;
import io.jgrad.amp.GradScaler;
import io.jgrad.data.CharVocab;
import io.jgrad.data.TensorDataset;
import io.jgrad.nn.BatchNorm1d;
import io.jgrad.nn.Embedding;
import io.jgrad.nn.Flatten;
import io.jgrad.nn.Init;
import io.jgrad.nn.Linear;
import io.jgrad.nn.Losses;
import io.jgrad.nn.Module;
import io.jgrad.nn.Sequential;
import io.jgrad.nn.Tanh;
import io.jgrad.optim.LrSchedule;
import io.jgrad.optim.SGD;
import io.jgrad.optim.Scheduler;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * A makemore-style character language model (Bengio et al. 2003, as in Karpathy's makemore part 3): the previous
 * {@code blockSize} characters are embedded, concatenated and fed through one hidden layer with BatchNorm and tanh
 * to logits over the next character. The names are shuffled with the seed and split 80/10/10 into train, dev and
 * test; the model is trained with SGD on random minibatches, then samples new names.
 */
@Command(name = "names", mixinStandardHelpOptions = true,
        description = "A makemore-style character MLP (embedding, hidden layer with BatchNorm1d and tanh) that learns to make up names.")
final class Names implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(Names.class);

    @ParentCommand
    Main main;

    @Option(names = "--data", required = true, paramLabel = "FILE",
            description = "a text file with one name per line, e.g. makemore's names.txt")
    Path data;

    @Option(names = "--steps", defaultValue = "20000", description = "SGD steps (default: ${DEFAULT-VALUE})")
    int steps;

    @Option(names = "--batch-size", defaultValue = "128", description = "examples per step (default: ${DEFAULT-VALUE})")
    int batchSize;

    @Option(names = "--lr", defaultValue = "0.3",
            description = "learning rate; a tenth of it for the last half of the steps (default: ${DEFAULT-VALUE})")
    double lr;

    @Option(names = "--block-size", defaultValue = "3", description = "characters of context (default: ${DEFAULT-VALUE})")
    int blockSize;

    @Option(names = "--embedding", defaultValue = "10", description = "embedding size per character (default: ${DEFAULT-VALUE})")
    int embedding;

    @Option(names = "--hidden", defaultValue = "200", description = "hidden units (default: ${DEFAULT-VALUE})")
    int hidden;

    @Option(names = "--samples", defaultValue = "20", description = "names to sample after training (default: ${DEFAULT-VALUE})")
    int samples;

    @Option(names = "--precision", defaultValue = "fp32", paramLabel = "P",
            description = "fp32, bf16 (bfloat16 autocast) or fp16 (float16 autocast with loss scaling) (default: ${DEFAULT-VALUE})")
    String precision;

    @Option(names = "--out", defaultValue = "out", description = "folder for the loss chart (default: ${DEFAULT-VALUE})")
    Path out;

    /** The model's shape and the training run's settings. */
    record Config(int blockSize, int embedding, int hidden, int steps, int batchSize, double lr, int samples, long seed,
                  Precision precision) {
        /** In float32. */
        Config(int blockSize, int embedding, int hidden, int steps, int batchSize, double lr, int samples, long seed) {
            this(blockSize, embedding, hidden, steps, batchSize, lr, samples, seed, Precision.FP32);
        }

        Config {
            if (blockSize < 1 || embedding < 1 || hidden < 1 || steps < 1 || batchSize < 2 || !(lr > 0) || samples < 0) {
                throw new IllegalArgumentException("names: need --block-size, --embedding, --hidden, --steps >= 1, --batch-size >= 2"
                        + " (BatchNorm needs two rows), --lr > 0 and --samples >= 0; got block " + blockSize + ", embedding "
                        + embedding + ", hidden " + hidden + ", steps " + steps + ", batch " + batchSize + ", lr " + lr
                        + ", samples " + samples);
            }
        }
    }

    /** Final losses in nats per character, the curves, the sampled names and the training time. */
    record Result(double trainLoss, double devLoss, double testLoss, List<String> samples, double seconds,
                  Charts.Series trainCurve, Charts.Series devCurve) {
    }

    /** The settings the command line gave. */
    Config config() {
        return new Config(blockSize, embedding, hidden, steps, batchSize, lr, samples, main.seed, Precision.parse(precision));
    }

    @Override
    public Integer call() throws Exception {
        List<String> words = readWords(data);
        Config config = config();
        Device device = main.selectDevice();
        // short lines: they must not wrap on an 80-column terminal
        System.out.printf(Locale.ROOT, "names: %,d names from %s%n", words.size(), data);
        System.out.printf(Locale.ROOT, "model: context %d, embedding %d, hidden %d with BatchNorm and tanh%n", blockSize, embedding, hidden);
        System.out.printf(Locale.ROOT, "training: %,d steps of batch %d, lr %s, then %s for the second half%n", steps, batchSize, lr, lr / 10);
        System.out.printf(Locale.ROOT, "precision: %s%n", config.precision().describe());
        Result r = train(words, config, device, ProgressBar.detectStyle(), System.out);
        System.out.printf(Locale.ROOT, "final: train %.4f  dev %.4f  test %.4f nats/char  (%.1f s)%n",
                r.trainLoss(), r.devLoss(), r.testLoss(), r.seconds());
        System.out.print(wrap("samples: " + String.join(" ", r.samples()), 79));
        Map<String, Charts.Series> losses = new LinkedHashMap<>();
        losses.put("train (running mean)", r.trainCurve());
        losses.put("dev", r.devCurve());
        Path chart = out.resolve("names-loss.png");
        if (Charts.writeOrWarn(chart, () -> Charts.writeCurves(chart, "names", "step", losses, Map.of()))) {
            LOG.info("Wrote {}", chart);
        }
        return 0;
    }

    /** The words of text in lines of at most width characters (a longer word gets a line of its own), each ended. */
    static String wrap(String text, int width) {
        StringBuilder out = new StringBuilder();
        StringBuilder line = new StringBuilder();
        for (String word : text.split(" ")) {
            if (line.length() > 0 && line.length() + 1 + word.length() > width) {
                out.append(line).append(System.lineSeparator());
                line.setLength(0);
            }
            if (line.length() > 0) line.append(' ');
            line.append(word);
        }
        return out.append(line).append(System.lineSeparator()).toString();
    }

    /** The non-empty lines of a file, trimmed and lower-cased. */
    static List<String> readWords(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("names: --data " + file.toAbsolutePath() + " is not a file (expected one name per line, "
                    + "such as makemore's names.txt)");
        }
        List<String> words = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String w = line.trim().toLowerCase(Locale.ROOT);
            if (!w.isEmpty()) words.add(w);
        }
        if (words.size() < 10) {
            throw new IllegalArgumentException("names: " + file + " has " + words.size() + " names; need at least 10 for an 80/10/10 split");
        }
        return words;
    }

    /**
     * Trains on {@code words} and samples from the result.
     *
     * @param words the names; shuffled with the seed and split 80/10/10
     * @param log   where the progress and the periodic evaluations go
     */
    static Result train(List<String> words, Config c, Device device, ProgressBar.Style style, java.io.PrintStream log) {
        List<List<String>> parts = split(words, c.seed());
        CharVocab vocab = CharVocab.fromLines(words);
        Split train = Split.of(parts.get(0), vocab, c.blockSize(), device);
        Split dev = Split.of(parts.get(1), vocab, c.blockSize(), device);
        Split test = Split.of(parts.get(2), vocab, c.blockSize(), device);

        Module model = model(vocab.size(), c, new Generator(c.seed())).to(device);
        SGD optimizer = new SGD(model.parameters(), c.lr());
        GradScaler scaler = c.precision().scaler();
        // makemore's schedule: the full rate for the first half, a tenth of it after.
        LrSchedule schedule = LrSchedule.constant(c.lr()).then(c.steps() / 2, LrSchedule.constant(c.lr() / 10));
        Scheduler scheduler = new Scheduler(optimizer, schedule);

        Random batches = new Random(c.seed() + 1);
        int evalEvery = Math.max(1, c.steps() / 10);
        Charts.Series trainCurve = new Charts.Series();
        Charts.Series devCurve = new Charts.Series();
        long start = System.nanoTime();
        // One bar for the whole run (its time left is the run's), with the periodic evaluations printed above it.
        try (ProgressBar bar = ProgressBar.create(log, style, "names", c.steps())) {
            for (int k = 0; k < c.steps(); k++) {
                try (Scope scope = Scope.open()) {
                    Tensor index = Tensor.of(randomRows(batches, train.size(), c.batchSize())).to(device);
                    Tensor loss;
                    try (Autocast ac = c.precision().autocast()) {
                        loss = Losses.crossEntropy(model.forward(train.x().indexSelect(0, index)), train.y().indexSelect(0, index));
                    }
                    optimizer.zeroGrad();
                    scaler.scale(loss).backward();
                    scaler.step(optimizer); // skipped when an fp16 gradient overflowed
                    scaler.update();
                    scheduler.step();
                    bar.step(c.batchSize(), loss.item());
                }
                int done = k + 1;
                if (done % evalEvery == 0 || done == c.steps()) {
                    double meanLoss = bar.meanLoss(); // since the previous report
                    int since = done % evalEvery == 0 ? evalEvery : done % evalEvery;
                    double devLoss = evaluate(model, dev, c.precision());
                    trainCurve.add(done, meanLoss);
                    devCurve.add(done, devLoss);
                    bar.log(String.format(Locale.ROOT, "step %d/%d: loss train %.4f (mean of %d steps), dev %.4f; lr %s",
                            done, c.steps(), meanLoss, since, devLoss, schedule.lr(done - 1)));
                }
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double trainLoss = evaluate(model, train, c.precision());
        double devLoss = evaluate(model, dev, c.precision());
        double testLoss = evaluate(model, test, c.precision());
        List<String> names = sample(model, vocab, c.blockSize(), c.samples(), new Random(c.seed() + 2), device);
        return new Result(trainLoss, devLoss, testLoss, names, seconds, trainCurve, devCurve);
    }

    /** The words shuffled with the seed and cut 80/10/10 into train, dev and test (also the gpt example's split). */
    static List<List<String>> split(List<String> words, long seed) {
        List<String> shuffled = new ArrayList<>(words);
        Collections.shuffle(shuffled, new Random(seed));
        int n1 = (int) (0.8 * shuffled.size());
        int n2 = (int) (0.9 * shuffled.size());
        return List.of(shuffled.subList(0, n1), shuffled.subList(n1, n2), shuffled.subList(n2, shuffled.size()));
    }

    /**
     * Embedding -> flatten -> Linear (no bias: BatchNorm's shift replaces it) -> BatchNorm1d -> tanh -> Linear.
     * The hidden weights get Kaiming's gain for tanh, and the output layer starts small so that the first
     * predictions are nearly uniform (a loss near log(vocab) instead of a confidently wrong start).
     */
    static Sequential model(int vocabSize, Config c, Generator gen) {
        Linear hiddenLayer = new Linear(c.blockSize() * c.embedding(), c.hidden(), false, gen);
        Linear output = new Linear(c.hidden(), vocabSize, gen);
        Init.kaimingNormal(hiddenLayer.weight(), Init.Mode.FAN_IN, Init.Nonlinearity.TANH, gen);
        try (Grad.Mode noGrad = Grad.disabled()) {
            output.weight().mulInPlace(0.1);
            output.bias().zero();
        }
        return new Sequential(new Embedding(vocabSize, c.embedding(), gen), new Flatten(), hiddenLayer,
                new BatchNorm1d(c.hidden()), new Tanh(), output);
    }

    /**
     * Mean cross-entropy over a whole split, in eval mode (BatchNorm's running statistics), in chunks, the forward
     * passes in the training's precision.
     */
    static double evaluate(Module model, Split split, Precision precision) {
        model.eval();
        try (Grad.Mode noGrad = Grad.disabled(); Autocast ac = precision.autocast()) {
            double sum = 0;
            int chunk = 8192;
            for (int start = 0; start < split.size(); start += chunk) {
                try (Scope scope = Scope.open()) {
                    int len = Math.min(chunk, split.size() - start);
                    Tensor logits = model.forward(split.x().narrow(0, start, len));
                    sum += Losses.crossEntropy(logits, split.y().narrow(0, start, len), Losses.Reduction.SUM).item();
                }
            }
            return sum / split.size();
        } finally {
            model.train();
        }
    }

    /** Samples names one character at a time from the softmax, starting from an all-boundary context. */
    static List<String> sample(Module model, CharVocab vocab, int blockSize, int count, Random rng, Device device) {
        model.eval();
        List<String> names = new ArrayList<>();
        try (Grad.Mode noGrad = Grad.disabled()) {
            for (int i = 0; i < count; i++) {
                long[] context = new long[blockSize]; // index 0 is the boundary token '.'
                StringBuilder name = new StringBuilder();
                for (int len = 0; len < 64; len++) {
                    double[] probs;
                    try (Scope scope = Scope.open()) {
                        probs = model.forward(Tensor.of(context, 1, blockSize).to(device)).softmax(1).toDoubleArray();
                    }
                    int next = draw(probs, rng);
                    if (next == 0) break;
                    name.append(vocab.decode(next));
                    System.arraycopy(context, 1, context, 0, blockSize - 1);
                    context[blockSize - 1] = next;
                }
                names.add(name.toString());
            }
        } finally {
            model.train();
        }
        return names;
    }

    /** An index drawn with the given probabilities (which sum to 1 up to rounding). */
    static int draw(double[] probs, Random rng) {
        double u = rng.nextDouble();
        double cumulative = 0;
        for (int i = 0; i < probs.length; i++) {
            cumulative += probs[i];
            if (u < cumulative) return i;
        }
        return probs.length - 1; // rounding left u above the total
    }

    private static long[] randomRows(Random rng, int n, int count) {
        long[] rows = new long[count];
        for (int i = 0; i < count; i++) rows[i] = rng.nextInt(n);
        return rows;
    }

    /** One split as int64 tensors on the device: contexts x [n, blockSize] and next characters y [n]. */
    record Split(Tensor x, Tensor y) {
        int size() {
            return y.size(0);
        }

        /** makemore's examples: for each character of each name (and its end), the characters before it. */
        static Split of(List<String> words, CharVocab vocab, int blockSize, Device device) {
            TensorDataset d = vocab.contexts(words, blockSize);
            return new Split(Scope.persist(d.x().to(device)), Scope.persist(d.y().to(device)));
        }
    }
}
