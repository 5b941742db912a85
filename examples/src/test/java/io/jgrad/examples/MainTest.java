package io.jgrad.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgrad.Backends;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class MainTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @TempDir
    Path dir;

    @AfterEach
    void reset() {
        Backends.setDefaultDevice(null);
    }

    private int run(String... args) {
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void helpListsTheThreeProgramsAndTheGlobalOptions() {
        assertEquals(0, run("--help"));
        String usage = out.toString();
        for (String expected : new String[] {"moons", "mnist", "names", "--device", "--seed"}) {
            assertTrue(usage.contains(expected), "usage lacks " + expected + ":\n" + usage);
        }
    }

    @Test
    void globalOptionsWorkBeforeAndAfterTheSubcommand() {
        CommandLine cli = Main.commandLine();
        CommandLine.ParseResult before = cli.parseArgs("--seed", "7", "--device", "cpu", "names", "--data", "x.txt");
        Main main = cli.getCommand();
        assertEquals(7, main.seed);
        assertEquals("cpu", main.device);
        assertTrue(before.hasSubcommand());

        CommandLine cli2 = Main.commandLine();
        cli2.parseArgs("names", "--data", "x.txt", "--seed", "9", "--device", "cuda:1");
        Main main2 = cli2.getCommand();
        assertEquals(9, main2.seed);
        assertEquals("cuda:1", main2.device);
        Names names = cli2.getSubcommands().get("names").getCommand();
        assertEquals(Path.of("x.txt"), names.data);
        assertEquals(3, names.blockSize); // defaults fill the rest
    }

    @Test
    void defaultSeedIsFixedSoRunsRepeat() {
        CommandLine cli = Main.commandLine();
        cli.parseArgs("moons");
        assertEquals(1337, ((Main) cli.getCommand()).seed);
    }

    @Test
    void aMissingDataFileIsAShortErrorNotAStackTrace() {
        Path missing = dir.resolve("no-such-names.txt");
        assertEquals(1, run("--device", "cpu", "names", "--data", missing.toString()));
        String e = err.toString();
        assertTrue(e.contains("error:") && e.contains("no-such-names.txt"), e);
        assertFalse(e.contains("\tat "), "no stack trace expected:\n" + e);
    }

    @Test
    void anUnknownDeviceNamesTheBackendsThatExist() {
        assertEquals(1, run("--device", "tpu", "moons", "--engine", "tensor", "--out", dir.toString()));
        String e = err.toString();
        assertTrue(e.contains("tpu") && e.contains("cpu"), e);
    }

    @Test
    void requiredOptionsAreUsageErrors() {
        assertEquals(2, run("mnist")); // picocli's exit code for invalid input
        assertTrue(err.toString().contains("--data"), err.toString());
    }

    @Test
    void withoutASubcommandTheMoonsOptionsWork() throws Exception {
        CommandLine cli = Main.commandLine();
        CommandLine.ParseResult parsed = cli.parseArgs("--out", "/tmp/x", "--steps", "7", "--engine", "scalar");
        assertFalse(parsed.hasSubcommand());
        Main main = cli.getCommand();
        assertEquals(Path.of("/tmp/x"), main.moons.out);
        assertEquals(7, main.moons.steps);
        assertEquals(Moons.Engine.scalar, main.moons.engine);

        // and the run writes its pictures there
        assertEquals(0, run("--device", "cpu", "--out", dir.toString(), "--steps", "3", "--engine", "tensor"), err.toString());
        assertTrue(java.nio.file.Files.isRegularFile(dir.resolve("moons-tensor.png")), "moons-tensor.png in " + dir);
    }

    @Test
    void aBadOptionIsOneLineAndAHintNotTheWholeUsage() {
        assertEquals(2, run("moons", "--stpes", "5"));
        String[] lines = err.toString().strip().split("\\R");
        assertEquals(2, lines.length, err.toString());
        assertTrue(lines[0].startsWith("error: ") && lines[0].contains("--stpes"), lines[0]);
        assertTrue(lines[0].contains("did you mean --steps?"), lines[0]);
        assertEquals("Run 'jgrad-examples moons --help' for the options.", lines[1]);
        assertFalse(err.toString().contains("Usage:"), err.toString());
        assertEquals("", out.toString());
    }

    @Test
    void aBadValueAndAMissingOptionAreOneLineToo() {
        assertEquals(2, run("--steps", "many"));
        String[] lines = err.toString().strip().split("\\R");
        assertEquals(2, lines.length, err.toString());
        assertTrue(lines[0].contains("many") && lines[0].contains("--steps"), lines[0]);
        assertEquals("Run 'jgrad-examples --help' for the options.", lines[1]);
    }

    @Test
    void theScalarEngineNeedsNoBackend() {
        // --engine scalar never touches a device, so it runs even where the chosen device is unusable.
        assertEquals(0, run("--device", "tpu", "moons", "--engine", "scalar", "--steps", "5", "--out", dir.toString()));
    }
}
