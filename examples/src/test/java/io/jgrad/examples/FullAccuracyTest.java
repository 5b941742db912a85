package io.jgrad.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jgrad.Backends;
import io.jgrad.Device;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The programs' promised figures on the real data, with their default settings: MNIST test accuracy >= 95% (MLP) and >= 98.5% (CNN), and a
 * names dev loss <= 2.20 nats. Minutes of CPU time each, so they run only with {@code -Djgrad.longTests=true}
 * and when {@code ../shared/data} is present.
 */
class FullAccuracyTest {

    @TempDir
    Path dir;

    @BeforeEach
    void cpu() {
        Backends.setDefaultDevice(Device.CPU);
    }

    @AfterEach
    void reset() {
        Backends.setDefaultDevice(null);
    }

    private static Path requireData(String sub) {
        assumeTrue(TestData.longTestsEnabled(), "full-accuracy runs take minutes; enable them with -Djgrad.longTests=true");
        Path data = TestData.sharedData().map(d -> d.resolve(sub)).orElse(null);
        assumeTrue(data != null && Files.exists(data), "the real data " + sub + " is not in ../shared/data");
        return data;
    }

    /** A subcommand as the command line sets it up, so these runs use exactly the programs' defaults. */
    @SuppressWarnings("unchecked")
    private static <T> T command(String... args) {
        CommandLine cli = Main.commandLine();
        cli.parseArgs(args);
        return (T) cli.getSubcommands().get(args[0]).getCommand();
    }

    @Test
    void mnistReaches95PercentTestAccuracy() throws Exception {
        Path data = requireData("mnist-10k");
        MnistMlp command = command("mnist", "--data", data.toString(), "--checkpoint", dir.resolve("mnist.safetensors").toString());
        MnistMlp.Config defaults = command.config();
        long start = System.nanoTime();
        MnistTraining.Result r = MnistMlp.train(data, defaults, Device.CPU, ProgressBar.Style.LINES, System.out);
        System.out.printf("mnist: test accuracy %.4f after %d epochs, %.1f s%n", r.testAccuracy(), r.epochs().size(),
                (System.nanoTime() - start) / 1e9);
        assertEquals(defaults.epochs(), r.epochs().size());
        assertTrue(r.testAccuracy() >= 0.95, "test accuracy " + r.testAccuracy());
    }

    @Test
    void cnnReaches98_5PercentTestAccuracy() throws Exception {
        Path data = requireData("mnist-10k");
        MnistCnn command = command("cnn", "--data", data.toString(), "--checkpoint", dir.resolve("cnn.safetensors").toString());
        MnistCnn.Config defaults = command.config();
        long start = System.nanoTime();
        MnistTraining.Result r = MnistCnn.train(data, defaults, Device.CPU, ProgressBar.Style.LINES, System.out);
        System.out.printf("cnn: test accuracy %.4f after %d epochs, %.1f s%n", r.testAccuracy(), r.epochs().size(),
                (System.nanoTime() - start) / 1e9);
        assertEquals(defaults.epochs(), r.epochs().size());
        assertTrue(r.testAccuracy() >= 0.985, "test accuracy " + r.testAccuracy());
    }

    @Test
    void namesReachADevLossOfAtMost2_20() throws Exception {
        Path data = requireData("names/names.txt");
        Names.Config defaults = ((Names) command("names", "--data", data.toString())).config();
        Names.Result r = Names.train(Names.readWords(data), defaults, Device.CPU, ProgressBar.Style.LINES, System.out);
        System.out.printf("names: train %.4f dev %.4f test %.4f, %.1f s, samples %s%n", r.trainLoss(), r.devLoss(),
                r.testLoss(), r.seconds(), r.samples());
        assertTrue(r.devLoss() <= 2.20, "dev loss " + r.devLoss());
        assertEquals(20, r.samples().size());
    }
}
