package io.jgrad.cpu.suites;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a test class's {@code main} in a child JVM that sees {@code threads} processors (so the CPU backend's pool has
 * that many threads) and returns the lines it printed after {@code "TRACE "}: the thread-count tests compare them with
 * this JVM's. The child gets the same class path, and the Vector API module exactly when this JVM has it, so both run
 * the same kernels. Its main must print {@code "threads N"} on a line of its own.
 */
final class ChildJvm {
    private static final String VECTOR_MODULE = "jdk.incubator.vector";

    private ChildJvm() {
    }

    static List<String> traceOnThreads(Class<?> main, int threads) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-XX:ActiveProcessorCount=" + threads);
        if (ModuleLayer.boot().findModule(VECTOR_MODULE).isPresent()) {
            cmd.add("--add-modules");
            cmd.add(VECTOR_MODULE);
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(main.getName());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("the child JVM on " + threads + " threads did not finish");
        }
        String text = new String(out, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) fail("the child JVM on " + threads + " threads failed (exit " + p.exitValue() + "):\n" + text);
        if (!text.contains("threads " + threads + "\n")) fail("the child JVM did not run on " + threads + " threads:\n" + text);
        List<String> lines = new ArrayList<>();
        for (String line : text.split("\n")) if (line.startsWith("TRACE ")) lines.add(line.substring(6));
        return lines;
    }
}
