package io.jgrad.examples;

import io.jgrad.Device;
import io.jgrad.Generator;
import io.jgrad.Tensor;
import io.jgrad.nn.Linear;
import io.jgrad.nn.Module;
import io.jgrad.nn.ReLU;
import io.jgrad.nn.Sequential;
import io.jgrad.optim.Adam;
import io.jgrad.optim.LrSchedule;
import io.jgrad.optim.Optimizer;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * A multi-layer perceptron (784-256-256-10, ReLU) on MNIST, trained with Adam on standardised pixels; the learning
 * rate decays by a factor of {@value #GAMMA} after every epoch (PyTorch's StepLR).
 * Each epoch prints the training loss and the test accuracy, and saves a checkpoint (model, optimizer, epoch, metric
 * history) from which {@code --resume} continues; the loop, checkpoints and resume are {@link MnistTraining}'s, shared
 * with the {@code cnn} example.
 */
@Command(name = "mnist", mixinStandardHelpOptions = true,
        description = "An MLP (784-256-256-10, ReLU, Adam) on MNIST IDX files, with per-epoch checkpoints and resume.")
final class MnistMlp implements Callable<Integer> {

    /** The learning rate's decay per epoch. */
    static final double GAMMA = 0.85;

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

    @Option(names = "--precision", defaultValue = "fp32", paramLabel = "P",
            description = "fp32, bf16 (bfloat16 autocast) or fp16 (float16 autocast with loss scaling) (default: ${DEFAULT-VALUE})")
    String precision;

    @Option(names = "--out", defaultValue = "out", description = "folder for the loss and accuracy chart (default: ${DEFAULT-VALUE})")
    Path out;

    /** The training run's settings. */
    record Config(int epochs, int batchSize, double lr, int hidden, long seed, Path checkpoint, Path resume, Precision precision) {
        /** In float32. */
        Config(int epochs, int batchSize, double lr, int hidden, long seed, Path checkpoint, Path resume) {
            this(epochs, batchSize, lr, hidden, seed, checkpoint, resume, Precision.FP32);
        }

        Config {
            if (epochs < 1 || batchSize < 1 || !(lr > 0) || hidden < 1) {
                throw new IllegalArgumentException("mnist: need --epochs >= 1, --batch-size >= 1, --lr > 0 and --hidden >= 1; got "
                        + epochs + ", " + batchSize + ", " + lr + " and " + hidden);
            }
        }
    }

    /** The settings the command line gave. */
    Config config() {
        return new Config(epochs, batchSize, lr, hidden, main.seed, checkpoint, resume, Precision.parse(precision));
    }

    @Override
    public Integer call() throws Exception {
        Config config = config();
        Device device = main.selectDevice();
        MnistTraining.Result r = train(data, config, device, ProgressBar.detectStyle(), System.out);
        if (r.epochs().isEmpty()) return 0; // train() said that nothing was left to do
        MnistTraining.EpochStats last = r.epochs().get(r.epochs().size() - 1);
        System.out.printf(Locale.ROOT, "final test accuracy %.2f%% after %s%n", 100 * last.testAccuracy(), MnistTraining.epochs(last.epoch()));
        MnistTraining.writeCurves("mnist", out, r.history());
        return 0;
    }

    /** Trains on the MNIST files in {@code dataDir}, evaluating and checkpointing after every epoch. */
    static MnistTraining.Result train(Path dataDir, Config c, Device device, ProgressBar.Style style, PrintStream log) throws IOException {
        return MnistTraining.train(recipe(c), new MnistTraining.Run(dataDir, c.epochs(), c.batchSize(), c.seed(), c.checkpoint(), c.resume(),
                c.precision()),
                device, style, log);
    }

    /** The MLP, Adam, and the learning rate times {@value #GAMMA} after every epoch. */
    static MnistTraining.Recipe recipe(Config c) {
        return new MnistTraining.Recipe() {
            @Override
            public String command() {
                return "mnist";
            }

            @Override
            public String architecture() {
                return "MLP 784-" + c.hidden() + "-" + c.hidden() + "-10";
            }

            @Override
            public String architectureOptions() {
                return "--hidden";
            }

            @Override
            public Module model() {
                return MnistMlp.model(c.hidden(), new Generator(c.seed()));
            }

            @Override
            public Optimizer optimizer(Module model) {
                return new Adam(model.parameters(), c.lr());
            }

            @Override
            public LrSchedule schedule(int stepsPerEpoch) {
                return LrSchedule.step(c.lr(), stepsPerEpoch, GAMMA);
            }

            @Override
            public String optimizerDescription() {
                return "Adam lr " + c.lr() + " (x" + GAMMA + " per epoch)";
            }

            @Override
            public Tensor layout(Tensor images) {
                return images;
            }
        };
    }

    /** 784 -> hidden -> hidden -> 10 with ReLU, PyTorch's default initialisation from the generator. */
    static Sequential model(int hidden, Generator gen) {
        return new Sequential(new Linear(784, hidden, gen), new ReLU(), new Linear(hidden, hidden, gen), new ReLU(),
                new Linear(hidden, 10, gen));
    }
}
