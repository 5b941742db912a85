package io.jgrad.examples;

import io.jgrad.DType;
import io.jgrad.Device;
import io.jgrad.Generator;
import io.jgrad.Grad;
import io.jgrad.Scope;
import io.jgrad.Tensor;
import io.jgrad.amp.Autocast;
import io.jgrad.amp.GradScaler;
import io.jgrad.data.CharVocab;
import io.jgrad.io.Checkpoint;
import io.jgrad.nn.Embedding;
import io.jgrad.nn.Init;
import io.jgrad.nn.LayerNorm;
import io.jgrad.nn.Linear;
import io.jgrad.nn.Losses;
import io.jgrad.nn.Module;
import io.jgrad.nn.Sequential;
import io.jgrad.nn.TransformerBlock;
import io.jgrad.optim.AdamW;
import io.jgrad.optim.ClipGrad;
import io.jgrad.optim.ExponentialMovingAverage;
import io.jgrad.optim.LrSchedule;
import io.jgrad.optim.ParamGroups;
import java.io.IOException;
import java.io.PrintStream;
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
 * A makemore-style character transformer (a small GPT): each name is a sequence ". e m m a" whose every position
 * predicts the next character (the last one the boundary '.'), through token and learned position embeddings, a
 * stack of causal pre-LayerNorm transformer blocks, a final LayerNorm and an output layer tied to the token
 * embedding. The names are split as makemore splits them (test: a tenth, at most 1,000 names; dev: as many; train:
 * the rest), so that the test loss compares with makemore's; training uses AdamW (weight decay on the weight
 * matrices only), a linear warm-up then cosine decay, and gradient clipping; evaluation builds no graph; sampling
 * uses a temperature, top-k and a multinomial draw. A checkpoint (model, optimizer with both parameter groups, step) lets an
 * interrupted run resume.
 */
@Command(name = "gpt", mixinStandardHelpOptions = true,
        description = "A makemore-style character transformer (4 layers, 4 heads, 64-dim embeddings) that learns to make up names.")
final class Gpt implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(Gpt.class);

    @ParentCommand
    Main main;

    @Option(names = "--data", required = true, paramLabel = "FILE",
            description = "a text file with one name per line, e.g. makemore's names.txt")
    Path data;

    @Option(names = "--steps", defaultValue = "16000", description = "optimizer steps (default: ${DEFAULT-VALUE})")
    int steps;

    @Option(names = "--batch-size", defaultValue = "64", description = "names per step (default: ${DEFAULT-VALUE})")
    int batchSize;

    @Option(names = "--lr", defaultValue = "2e-3", description = "peak learning rate (default: ${DEFAULT-VALUE})")
    double lr;

    @Option(names = "--min-lr", defaultValue = "1e-4", description = "learning rate at the end of the cosine (default: ${DEFAULT-VALUE})")
    double minLr;

    @Option(names = "--warmup", defaultValue = "200", description = "steps of linear warm-up (default: ${DEFAULT-VALUE})")
    int warmup;

    @Option(names = "--weight-decay", defaultValue = "0.1",
            description = "AdamW decay of the weight matrices (default: ${DEFAULT-VALUE})")
    double weightDecay;

    @Option(names = "--clip", defaultValue = "1.0", description = "gradient norm clipping (default: ${DEFAULT-VALUE})")
    double clip;

    @Option(names = "--layers", defaultValue = "4", description = "transformer blocks (default: ${DEFAULT-VALUE})")
    int layers;

    @Option(names = "--heads", defaultValue = "4", description = "attention heads (default: ${DEFAULT-VALUE})")
    int heads;

    @Option(names = "--embedding", defaultValue = "64", description = "embedding size (default: ${DEFAULT-VALUE})")
    int embedding;

    @Option(names = "--dropout", defaultValue = "0.2", description = "dropout probability (default: ${DEFAULT-VALUE})")
    double dropout;

    @Option(names = "--tie", description = "tie the output layer to the token embedding, with GPT-2's initialisation"
            + " (learns more slowly at this size than makemore's untied model with PyTorch's initialisation)")
    boolean tie;

    @Option(names = "--temperature", defaultValue = "1.0", description = "sampling temperature (default: ${DEFAULT-VALUE})")
    double temperature;

    @Option(names = "--top-k", defaultValue = "0", description = "sample among the k likeliest characters; 0 for all (default: ${DEFAULT-VALUE})")
    int topK;

    @Option(names = "--samples", defaultValue = "20", description = "names to sample after training (default: ${DEFAULT-VALUE})")
    int samples;

    @Option(names = "--precision", defaultValue = "fp32", paramLabel = "P",
            description = "fp32, bf16 (bfloat16 autocast) or fp16 (float16 autocast with loss scaling) (default: ${DEFAULT-VALUE})")
    String precision;

    @Option(names = "--ema", defaultValue = "0.999", paramLabel = "DECAY",
            description = "evaluate and sample with an exponential moving average of the weights with this decay;"
                    + " 0 for the trained weights (default: ${DEFAULT-VALUE})")
    double ema;

    @Option(names = "--out", defaultValue = "out", description = "folder for the loss chart (default: ${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--checkpoint", paramLabel = "FILE",
            description = "save the model, optimizer and step here every --checkpoint-every steps and at the end")
    Path checkpoint;

    @Option(names = "--checkpoint-every", defaultValue = "1000", description = "steps between checkpoints (default: ${DEFAULT-VALUE})")
    int checkpointEvery;

    @Option(names = "--resume", description = "continue from --checkpoint if that file exists")
    boolean resume;

    @Option(names = "--stop-after", defaultValue = "0",
            description = "stop after this many steps in this session (0: run to --steps), to --resume later")
    int stopAfter;

    /** The model's shape and the training run's settings. */
    record Config(int layers, int heads, int embedding, double dropout, boolean tied, int steps, int batchSize, double lr,
                  double minLr, int warmup, double weightDecay, double clip, double temperature, int topK, int samples, long seed,
                  Precision precision, double ema) {
        /** In float32, without averaged weights. */
        Config(int layers, int heads, int embedding, double dropout, boolean tied, int steps, int batchSize, double lr, double minLr,
               int warmup, double weightDecay, double clip, double temperature, int topK, int samples, long seed) {
            this(layers, heads, embedding, dropout, tied, steps, batchSize, lr, minLr, warmup, weightDecay, clip, temperature, topK,
                    samples, seed, Precision.FP32);
        }

        /** Without averaged weights. */
        Config(int layers, int heads, int embedding, double dropout, boolean tied, int steps, int batchSize, double lr, double minLr,
               int warmup, double weightDecay, double clip, double temperature, int topK, int samples, long seed, Precision precision) {
            this(layers, heads, embedding, dropout, tied, steps, batchSize, lr, minLr, warmup, weightDecay, clip, temperature, topK,
                    samples, seed, precision, 0);
        }

        Config {
            if (layers < 1 || heads < 1 || embedding < 1 || embedding % heads != 0 || steps < 1 || batchSize < 1 || !(lr > 0)
                    || !(minLr >= 0 && minLr <= lr) || warmup < 0 || warmup >= steps || !(weightDecay >= 0) || !(clip > 0)
                    || !(dropout >= 0 && dropout < 1) || !(temperature > 0) || topK < 0 || samples < 0 || !(ema >= 0 && ema < 1)) {
                throw new IllegalArgumentException("gpt: need --layers, --heads, --steps, --batch-size >= 1, --embedding a multiple of"
                        + " --heads, 0 < --min-lr <= --lr, 0 <= --warmup < --steps, --weight-decay >= 0, --clip > 0, --dropout in [0, 1),"
                        + " --temperature > 0, --top-k >= 0, --samples >= 0 and --ema in [0, 1); got layers " + layers + ", heads " + heads
                        + ", embedding " + embedding + ", steps " + steps + ", batch " + batchSize + ", lr " + lr + ", min lr " + minLr
                        + ", warmup " + warmup + ", weight decay " + weightDecay + ", clip " + clip + ", dropout " + dropout
                        + ", temperature " + temperature + ", top-k " + topK + ", samples " + samples + ", ema " + ema);
            }
        }

        /** Warm-up to lr, then cosine down to minLr at the last step. */
        LrSchedule schedule() {
            return LrSchedule.linearWarmup(warmup, LrSchedule.cosine(lr, steps - warmup, minLr));
        }
    }

    /**
     * Where to keep a checkpoint (null for none), how often, whether to start from it, and after how many steps of
     * this session to stop (0: none), to resume later.
     */
    record Checkpointing(Path file, int every, boolean resume, int stopAfter) {
        static final Checkpointing NONE = new Checkpointing(null, 1, false, 0);

        Checkpointing {
            if (every < 1 || stopAfter < 0) {
                throw new IllegalArgumentException("gpt: need --checkpoint-every >= 1 and --stop-after >= 0, got " + every + " and " + stopAfter);
            }
        }
    }

    /** Final losses in nats per character, the curves, the sampled names, the step it started from and the time. */
    record Result(double trainLoss, double devLoss, double testLoss, List<String> samples, int startStep, double seconds,
                  Charts.Series trainCurve, Charts.Series devCurve) {
    }

    Config config() {
        return new Config(layers, heads, embedding, dropout, tie, steps, batchSize, lr, minLr, warmup, weightDecay, clip, temperature,
                topK, samples, main.seed, Precision.parse(precision), ema);
    }

    @Override
    public Integer call() throws Exception {
        List<String> words = Names.readWords(data);
        Config c = config();
        Device device = main.selectDevice();
        System.out.printf(Locale.ROOT, "gpt: %,d names from %s%n", words.size(), data);
        System.out.printf(Locale.ROOT, "model: %d layers, %d heads, embedding %d, dropout %s, output layer %s%n", layers, heads, embedding,
                dropout, tie ? "tied to the token embedding" : "untied");
        System.out.printf(Locale.ROOT, "training: %,d steps of %d names, AdamW lr %s (warm-up %d, cosine to %s), decay %s, clip %s%n",
                steps, batchSize, lr, warmup, minLr, weightDecay, clip);
        System.out.printf(Locale.ROOT, "precision: %s%n", c.precision().describe());
        if (ema > 0) System.out.printf(Locale.ROOT, "weights: evaluated and sampled as their exponential moving average, decay %s%n", ema);
        if (resume && checkpoint == null) throw new IllegalArgumentException("gpt: --resume needs --checkpoint FILE");
        Checkpointing ck = checkpoint == null ? Checkpointing.NONE : new Checkpointing(checkpoint, checkpointEvery, resume, stopAfter);
        Result r = train(words, c, device, ck, ProgressBar.detectStyle(), System.out);
        System.out.printf(Locale.ROOT, "final: train %.4f  dev %.4f  test %.4f nats/char  (%.1f s)%n",
                r.trainLoss(), r.devLoss(), r.testLoss(), r.seconds());
        System.out.print(Names.wrap("samples: " + String.join(" ", r.samples()), 79));
        Map<String, Charts.Series> losses = new LinkedHashMap<>();
        losses.put("train (running mean)", r.trainCurve());
        losses.put("dev", r.devCurve());
        Path chart = out.resolve("gpt-loss.png");
        if (Charts.writeOrWarn(chart, () -> Charts.writeCurves(chart, "gpt", "step", losses, Map.of()))) {
            LOG.info("Wrote {}", chart);
        }
        return 0;
    }

    // ------------------------------------------------------------------ the model

    /**
     * Token embedding {@code wte} and position embedding {@code wpe}, {@code blocks} of causal pre-LayerNorm
     * transformer blocks, a final LayerNorm {@code ln_f} and the output layer {@code lm_head}. Untied (the default, as
     * makemore), every module keeps its PyTorch initialisation (embeddings N(0, 1)); tied, {@code lm_head}'s weight is
     * {@code wte}'s (one parameter, listed once) and the model takes GPT-2's initialisation, without which N(0, 1)
     * embeddings would make the first logits huge.
     */
    static final class Model extends Module {
        private final int blockSize;

        Model(int vocabSize, int blockSize, Config c, Generator gen) {
            this.blockSize = blockSize;
            Embedding wte = register("wte", new Embedding(vocabSize, c.embedding(), gen));
            register("wpe", new Embedding(blockSize, c.embedding(), gen));
            Sequential blocks = new Sequential();
            for (int i = 0; i < c.layers(); i++) blocks.add(new TransformerBlock(c.embedding(), c.heads(), c.dropout(), true, gen));
            register("blocks", blocks);
            register("ln_f", new LayerNorm(c.embedding()));
            if (!c.tied()) {
                register("lm_head", new Linear(c.embedding(), vocabSize, gen));
                return;
            }
            register("lm_head", new Linear(wte.weight(), Tensor.zeros(vocabSize)));
            // GPT-2's initialisation: N(0, 0.02) for weight matrices and embeddings, the projections back into the
            // residual stream scaled down by sqrt(2 * layers), biases zero (LayerNorms keep ones and zeros).
            for (Map.Entry<String, Tensor> e : namedParameters().entrySet()) {
                String name = e.getKey();
                Tensor p = e.getValue();
                if (name.startsWith("ln") || name.contains(".ln")) continue;
                if (p.dim() == 1) {
                    Init.zeros(p);
                } else {
                    boolean residual = name.endsWith("out_proj.weight") || name.endsWith("mlp.2.weight");
                    Init.normal(p, 0, residual ? 0.02 / Math.sqrt(2 * c.layers()) : 0.02, gen);
                }
            }
        }

        int blockSize() {
            return blockSize;
        }

        /** Logits [N, T, vocab] for int64 tokens [N, T], T at most the block size. */
        @Override
        public Tensor forward(Tensor tokens) {
            return head(trunk(tokens));
        }

        /** The residual stream after the last block, [N, T, E], for int64 tokens [N, T]. */
        Tensor trunk(Tensor tokens) {
            if (tokens.dim() != 2 || tokens.size(1) > blockSize) {
                throw new IllegalArgumentException("gpt: expects tokens [N, T] with T <= " + blockSize + ", got " + tokens.shape());
            }
            int t = tokens.size(1);
            Tensor positions = Tensor.arange(t).to(tokens.device());
            Tensor x = child("wte").forward(tokens).add(child("wpe").forward(positions));
            return child("blocks").forward(x);
        }

        /** The final LayerNorm and the output layer: logits [..., vocab] for hidden states [..., E]. */
        Tensor head(Tensor hidden) {
            return child("lm_head").forward(child("ln_f").forward(hidden));
        }
    }

    // ------------------------------------------------------------------ data

    /** Names as token sequences: 0 (the boundary) is both the start and the end. */
    record Words(List<int[]> tokens) {
        static Words of(List<String> words, CharVocab vocab) {
            List<int[]> out = new ArrayList<>();
            for (String w : words) out.add(vocab.encode(w));
            return new Words(out);
        }

        int size() {
            return tokens.size();
        }

        /** Characters to predict: each name's characters and its end. */
        long targets() {
            long n = 0;
            for (int[] t : tokens) n += t.length + 1;
            return n;
        }

        /** The first {@code n} names (all if fewer). */
        Words first(int n) {
            return new Words(tokens.subList(0, Math.min(n, tokens.size())));
        }

        int longest() {
            int m = 0;
            for (int[] t : tokens) m = Math.max(m, t.length);
            return m;
        }
    }

    /**
     * A batch of names: inputs [n, T] (". e m m a" padded with '.'), the flat positions whose predictions count (each
     * name's length + 1 of them) and their targets ("e m m a ."). T is the longest name of the batch + 1.
     */
    record Batch(Tensor inputs, Tensor positions, Tensor targets, int count) {
        static Batch of(Words words, int[] rows, Device device) {
            int t = 0;
            for (int r : rows) t = Math.max(t, words.tokens().get(r).length + 1);
            long[] inputs = new long[rows.length * t];
            List<Long> positions = new ArrayList<>();
            List<Long> targets = new ArrayList<>();
            for (int i = 0; i < rows.length; i++) {
                int[] w = words.tokens().get(rows[i]);
                for (int j = 0; j < w.length; j++) inputs[i * t + j + 1] = w[j];
                for (int j = 0; j <= w.length; j++) {
                    positions.add((long) i * t + j);
                    targets.add(j < w.length ? (long) w[j] : 0L);
                }
            }
            long[] pos = positions.stream().mapToLong(Long::longValue).toArray();
            long[] tgt = targets.stream().mapToLong(Long::longValue).toArray();
            return new Batch(Tensor.of(inputs, rows.length, t).to(device), Tensor.of(pos).to(device), Tensor.of(tgt).to(device), pos.length);
        }

        /**
         * Cross-entropy of the counted positions, summed or averaged (as makemore's, whose targets after a name's end
         * are ignored). The final LayerNorm and the output layer see the counted positions only.
         */
        Tensor loss(Model model, Losses.Reduction reduction) {
            Tensor hidden = model.trunk(inputs);
            Tensor counted = hidden.reshape(-1, hidden.size(2)).indexSelect(0, positions);
            return Losses.crossEntropy(model.head(counted), targets, reduction);
        }
    }

    // ------------------------------------------------------------------ training

    static Result train(List<String> words, Config c, Device device, Checkpointing ck, ProgressBar.Style style, PrintStream log)
            throws IOException {
        List<List<String>> split = split(words, c.seed());
        CharVocab vocab = CharVocab.fromLines(words);
        Words train = Words.of(split.get(0), vocab);
        Words dev = Words.of(split.get(1), vocab);
        Words test = Words.of(split.get(2), vocab);
        int blockSize = Math.max(Math.max(train.longest(), dev.longest()), test.longest()) + 1;

        Model model = new Model(vocab.size(), blockSize, c, new Generator(c.seed()));
        model.to(device);
        // AdamW's decay on the parameters of two dimensions (weight matrices, the tied token embedding, the position
        // embedding), as nanoGPT does; biases and LayerNorms are not decayed: two parameter groups
        AdamW adamw = AdamW.builder().lr(c.lr()).betas(0.9, 0.99).eps(1e-8)
                .groups(ParamGroups.decayOnlyWeights(model, c.weightDecay())).build();
        LrSchedule schedule = c.schedule();
        Precision precision = c.precision();
        GradScaler scaler = precision.scaler();

        // the averaged weights (--ema), if any, are what the losses and the samples are computed with
        ExponentialMovingAverage ema = c.ema() > 0 ? new ExponentialMovingAverage(model, c.ema(), true) : null;

        if (ck.file() != null) {
            // the checkpoint's folder now, so that a path that cannot be written fails before the first step, not
            // after --checkpoint-every steps of training
            Path parent = ck.file().toAbsolutePath().getParent();
            if (parent != null) Files.createDirectories(parent);
        }
        int start = 0;
        if (ck.resume() && ck.file() != null && Files.exists(ck.file())) {
            start = restore(ck.file(), model, adamw, scaler, ema);
            log.printf(Locale.ROOT, "resumed from %s at step %d%n", ck.file(), start);
        }

        int evalEvery = Math.max(1, c.steps() / 10);
        Charts.Series trainCurve = new Charts.Series();
        Charts.Series devCurve = new Charts.Series();
        long t0 = System.nanoTime();
        int end = ck.stopAfter() > 0 ? Math.min(c.steps(), start + ck.stopAfter()) : c.steps();
        try (ProgressBar bar = ProgressBar.create(log, style, "gpt", end - start)) {
            for (int k = start; k < end; k++) {
                double lrNow = schedule.lr(k);
                adamw.setLr(lrNow);
                try (Scope scope = Scope.open()) {
                    // each step's names from its own stream, so that a resumed run draws what an unbroken one would
                    Random batches = new Random(c.seed() * 1_000_003L + k);
                    int[] rows = new int[c.batchSize()];
                    for (int i = 0; i < rows.length; i++) rows[i] = batches.nextInt(train.size());
                    Tensor loss;
                    try (Autocast ac = precision.autocast()) {
                        loss = Batch.of(train, rows, device).loss(model, Losses.Reduction.MEAN);
                    }
                    model.zeroGrad();
                    scaler.scale(loss).backward();
                    scaler.unscale(adamw); // clip the true gradients
                    ClipGrad.clipGradNorm(model.parameters(), c.clip());
                    scaler.step(adamw); // skipped when an fp16 gradient overflowed
                    scaler.update();
                    if (ema != null) ema.update();
                    bar.step(c.batchSize(), loss.item());
                }
                int done = k + 1;
                if (done % evalEvery == 0 || done == c.steps()) {
                    double meanLoss = bar.meanLoss();
                    double devLoss = evaluate(model, ema, dev, device, precision);
                    trainCurve.add(done, meanLoss);
                    devCurve.add(done, devLoss);
                    bar.log(String.format(Locale.ROOT, "step %d/%d: loss train %.4f (running mean), dev %.4f; lr %.2e",
                            done, c.steps(), meanLoss, devLoss, lrNow));
                }
                if (ck.file() != null && (done % ck.every() == 0 || done == end)) save(ck.file(), model, adamw, ema, done, precision.metadata(scaler));
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        // the training loss on as many training names as the test split has (the first of the shuffled ones), like
        // makemore's estimate; evaluating all 30,000 would cost about as much as a few hundred training steps
        double trainLoss;
        double devLoss;
        double testLoss;
        List<String> names;
        try (ExponentialMovingAverage.Swap averaged = ema == null ? null : ema.swapIn()) {
            trainLoss = evaluate(model, train.first(test.size()), device, precision);
            devLoss = evaluate(model, dev, device, precision);
            testLoss = evaluate(model, test, device, precision);
            names = sample(model, vocab, c.samples(), c.temperature(), c.topK(), new Generator(c.seed() + 2), device);
        } finally {
            if (ema != null) ema.close();
        }
        return new Result(trainLoss, devLoss, testLoss, names, start, seconds, trainCurve, devCurve);
    }

    /**
     * makemore's split: the words shuffled with the seed, a test split of a tenth of them but at most 1,000 names, a dev
     * split as large, and the rest for training (so that the test loss is comparable with makemore's figures).
     */
    static List<List<String>> split(List<String> words, long seed) {
        List<String> shuffled = new ArrayList<>(words);
        Collections.shuffle(shuffled, new Random(seed));
        int held = Math.min(1000, shuffled.size() / 10);
        int n = shuffled.size();
        return List.of(shuffled.subList(0, n - 2 * held), shuffled.subList(n - 2 * held, n - held), shuffled.subList(n - held, n));
    }

    /**
     * The model, the optimizer (both parameter groups), the step count and the precision (with the scaler), atomically;
     * the averaged weights, if any, beside the model's under {@value #EMA_PREFIX}.
     */
    static void save(Path file, Module model, AdamW adamw, ExponentialMovingAverage ema, int step, Map<String, String> precision)
            throws IOException {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("step", Integer.toString(step));
        meta.putAll(precision);
        LinkedHashMap<String, Tensor> state = model.stateDict();
        if (ema != null) ema.stateDict().forEach((name, t) -> state.put(EMA_PREFIX + name, t));
        Checkpoint.save(file, state, adamw.stateDict(), meta);
    }

    static final String EMA_PREFIX = "ema.";

    /** Loads a checkpoint written by {@link #save} and returns the step it was taken at. */
    static int restore(Path file, Module model, AdamW adamw, GradScaler scaler, ExponentialMovingAverage ema) throws IOException {
        Checkpoint cp = Checkpoint.load(file);
        String step = cp.metadata().get("step");
        if (step == null) throw new IllegalArgumentException("gpt: " + file + " is not a gpt checkpoint (no step in its metadata)");
        Map<String, Tensor> weights = new LinkedHashMap<>();
        Map<String, Tensor> averages = new LinkedHashMap<>();
        cp.model().forEach((name, t) -> {
            if (name.startsWith(EMA_PREFIX)) averages.put(name.substring(EMA_PREFIX.length()), t);
            else weights.put(name, t);
        });
        if ((ema != null) != !averages.isEmpty()) {
            throw new IllegalArgumentException("gpt: " + file + (ema != null ? " has no averaged weights to resume --ema with"
                    + " (it was saved with --ema 0: resume it with --ema 0)" : " has averaged weights: resume it with the same --ema"));
        }
        model.loadStateDict(weights);
        if (ema != null) ema.loadStateDict(averages);
        adamw.loadStateDict(cp.optimizer());
        Precision.restore(scaler, cp.metadata());
        return Integer.parseInt(step);
    }

    /** {@link #evaluate(Model, Words, Device, Precision)} with the averaged weights, if any. */
    static double evaluate(Model model, ExponentialMovingAverage ema, Words words, Device device, Precision precision) {
        if (ema == null) return evaluate(model, words, device, precision);
        try (ExponentialMovingAverage.Swap averaged = ema.swapIn()) {
            return evaluate(model, words, device, precision);
        }
    }

    /** Mean cross-entropy per character over all names of a split, in eval mode, without a graph, in the given precision. */
    static double evaluate(Model model, Words words, Device device, Precision precision) {
        model.eval();
        try (Grad.Mode noGrad = Grad.disabled(); Autocast ac = precision.autocast()) {
            double sum = 0;
            int chunk = 1024;
            for (int from = 0; from < words.size(); from += chunk) {
                try (Scope scope = Scope.open()) {
                    int[] rows = new int[Math.min(chunk, words.size() - from)];
                    for (int i = 0; i < rows.length; i++) rows[i] = from + i;
                    sum += Batch.of(words, rows, device).loss(model, Losses.Reduction.SUM).item();
                }
            }
            return sum / words.targets();
        } finally {
            model.train();
        }
    }

    /**
     * Samples {@code count} names together, one character per step: the logits of each name's last position are
     * divided by the temperature, cut to the {@code topK} likeliest (0 keeps all), turned into probabilities and
     * drawn from by a multinomial; a name ends at the boundary or at the block size.
     */
    static List<String> sample(Model model, CharVocab vocab, int count, double temperature, int topK, Generator gen, Device device) {
        model.eval();
        List<StringBuilder> names = new ArrayList<>();
        List<List<Long>> contexts = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            names.add(new StringBuilder());
            contexts.add(new ArrayList<>(List.of(0L)));
        }
        boolean[] done = new boolean[count];
        try (Grad.Mode noGrad = Grad.disabled()) {
            for (int len = 1; len < model.blockSize() && count > 0; len++) {
                try (Scope scope = Scope.open()) {
                    long[] tokens = new long[count * len];
                    for (int i = 0; i < count; i++) for (int j = 0; j < len; j++) tokens[i * len + j] = contexts.get(i).get(j);
                    Tensor logits = model.forward(Tensor.of(tokens, count, len).to(device)).narrow(1, len - 1, 1)
                            .reshape(count, -1).to(DType.FLOAT64).to(Device.CPU);
                    Tensor probs = probabilities(logits.toDoubleArray(), count, temperature, topK);
                    long[] next = probs.multinomial(1, false, gen).reshape(-1).toLongArray();
                    boolean all = true;
                    for (int i = 0; i < count; i++) {
                        contexts.get(i).add(next[i]);
                        if (done[i]) continue;
                        if (next[i] == 0) done[i] = true;
                        else names.get(i).append(vocab.decode((int) next[i]));
                        all &= done[i];
                    }
                    if (all) break;
                }
            }
        } finally {
            model.train();
        }
        List<String> out = new ArrayList<>();
        for (StringBuilder n : names) out.add(n.toString());
        return out;
    }

    /** softmax(logits / temperature) per row over the topK largest logits (0: all), zero elsewhere; [rows, vocab]. */
    static Tensor probabilities(double[] logits, int rows, double temperature, int topK) {
        int v = logits.length / rows;
        double[] p = new double[logits.length];
        for (int r = 0; r < rows; r++) {
            double[] row = java.util.Arrays.copyOfRange(logits, r * v, (r + 1) * v);
            double cut = Double.NEGATIVE_INFINITY;
            if (topK > 0 && topK < v) {
                double[] sorted = row.clone();
                java.util.Arrays.sort(sorted);
                cut = sorted[v - topK];
            }
            double max = Double.NEGATIVE_INFINITY;
            for (double x : row) max = Math.max(max, x);
            double sum = 0;
            for (int j = 0; j < v; j++) {
                double e = row[j] >= cut ? Math.exp((row[j] - max) / temperature) : 0;
                p[r * v + j] = e;
                sum += e;
            }
            for (int j = 0; j < v; j++) p[r * v + j] /= sum;
        }
        return Tensor.of(p, rows, v);
    }
}
