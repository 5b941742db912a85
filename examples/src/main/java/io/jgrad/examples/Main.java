package io.jgrad.examples;

import io.jgrad.Backends;
import io.jgrad.Device;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The entry point of the runnable examples: {@code java --add-modules jdk.incubator.vector -jar jgrad-examples.jar
 * [moons|mnist|cnn|names|gpt] [options]}. With no subcommand it runs the moons demo.
 */
@Command(name = "jgrad-examples", mixinStandardHelpOptions = true, version = "jgrad examples 0.1.0-SNAPSHOT",
        description = "Trains small networks with jgrad. Without a subcommand, runs the moons demo, which takes the "
                + "options below (--engine, --steps, --samples, --noise, --out).",
        subcommands = {Moons.class, MnistMlp.class, MnistCnn.class, Names.class, Gpt.class, CommandLine.HelpCommand.class})
public final class Main implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(Main.class);

    // Both options are inherited: they work before the subcommand and after it.
    @Option(names = "--device", scope = ScopeType.INHERIT, paramLabel = "DEVICE",
            description = "cpu, cuda or cuda:N (default: automatic, CUDA when available, else the CPU with a warning)")
    String device;

    @Option(names = "--seed", scope = ScopeType.INHERIT, defaultValue = "1337",
            description = "seed of every random choice: data, initial weights, shuffling, sampling (default: ${DEFAULT-VALUE})")
    long seed;

    /** The moons demo's own options, for a command line without a subcommand. */
    @Mixin
    Moons.Options moons = new Moons.Options();

    /** Runs a command line and exits with its status. */
    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs a command line and returns its exit status (0 on success); usable from tests. */
    public static int run(String... args) {
        // Charts are drawn off-screen; this must be set before AWT initialises.
        System.setProperty("java.awt.headless", "true");
        return commandLine().execute(args);
    }

    /** The configured command line: subcommands, and short messages instead of stack traces for bad input. */
    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Main());
        cli.setParameterExceptionHandler(Main::badInput);
        cli.setExecutionExceptionHandler((e, commandLine, parsed) -> {
            // Bad input (a missing data folder, an unavailable device) deserves a message, not a stack trace;
            // anything else is a bug and keeps its trace.
            if (e instanceof IllegalArgumentException || e instanceof IllegalStateException || e instanceof IOException
                    || e instanceof UncheckedIOException) {
                commandLine.getErr().println(commandLine.getColorScheme().errorText("error: " + describe(e)));
                LOG.debug("{} failed", commandLine.getCommandName(), e);
            } else {
                e.printStackTrace(commandLine.getErr());
            }
            return 1;
        });
        return cli;
    }

    /**
     * A command line that does not parse: one line saying what is wrong (with picocli's guess when an option is
     * misspelt) and one saying where the options are, instead of the whole usage.
     */
    static int badInput(ParameterException e, String[] args) {
        CommandLine c = e.getCommandLine();
        PrintWriter err = c.getErr();
        String message = e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("");
        if (e instanceof UnmatchedArgumentException u && !u.getSuggestions().isEmpty()) {
            message += " (did you mean " + String.join(" or ", u.getSuggestions().subList(0, Math.min(3, u.getSuggestions().size()))) + "?)";
        }
        err.println(c.getColorScheme().errorText("error: " + message));
        err.println("Run '" + c.getCommandSpec().qualifiedName() + " --help' for the options.");
        err.flush();
        return c.getCommandSpec().exitCodeOnInvalidInput();
    }

    private static String describe(Throwable e) {
        StringBuilder b = new StringBuilder(e.getMessage() == null ? e.toString() : e.getMessage());
        for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
            if (c.getMessage() != null) b.append("\n  caused by: ").append(c.getMessage());
        }
        return b.toString();
    }

    /** No subcommand: the moons demo with its defaults. */
    @Override
    public Integer call() throws Exception {
        Moons demo = new Moons();
        demo.main = this;
        demo.options = moons;
        return demo.call();
    }

    /**
     * The device that the --device option names, made the default for new tensors; without the option, the device
     * that automatic selection picks.
     */
    Device selectDevice() {
        if (device == null || device.isBlank()) {
            Device chosen = Backends.defaultDevice();
            LOG.info("Device {} ({}; pass --device to choose)", chosen, Backends.defaultDeviceSource());
            return chosen;
        }
        Device chosen = Device.parse(device);
        Backends.setDefaultDevice(chosen); // throws, with the reason, when the backend cannot run here
        LOG.info("Device {}", chosen);
        return chosen;
    }
}
