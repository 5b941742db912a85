package io.jgrad.io;

import io.jgrad.Tensor;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;

/**
 * The main class that {@link CheckpointHardeningTest} runs in child JVMs with a small heap or a file-size limit. One
 * line per step on standard output: {@code OK ...}, {@code REFUSED <message>} (a {@link CheckpointException}),
 * {@code OOM <message>} or {@code ERROR <exception>}.
 */
public final class ChildProbe {
    private ChildProbe() {
    }

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "load":
                for (int i = 1; i < args.length; i++) load(Path.of(args[i]));
                break;
            case "zeros":
                report(() -> "OK " + Tensor.zeros(Integer.parseInt(args[1])).numel());
                break;
            case "save":
                report(() -> {
                    Checkpoint.save(Path.of(args[1]), Map.of("w", Tensor.zeros(Integer.parseInt(args[2]))), null, null);
                    return "OK saved";
                });
                break;
            case "saveloop": // saves until killed
                Map<String, Tensor> state = Map.of("w", Tensor.zeros(Integer.parseInt(args[2])));
                while (true) Checkpoint.save(Path.of(args[1]), state, null, null);
            case "lock": // holds a lock on the file, as a live writer does, until standard input closes
                try (FileChannel c = FileChannel.open(Path.of(args[1]), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                    c.lock();
                    System.out.println("OK locked");
                    System.out.flush();
                    while (System.in.read() >= 0) {
                        // wait
                    }
                }
                break;
            default:
                throw new IllegalArgumentException(args[0]);
        }
        System.out.flush();
    }

    private interface Step {
        String run() throws Exception;
    }

    private static void load(Path file) {
        report(() -> {
            Checkpoint c = Checkpoint.load(file);
            return "OK " + c.model().size() + " tensors, " + c.metadata().size() + " metadata";
        });
    }

    private static void report(Step step) {
        String line;
        try {
            line = step.run();
        } catch (CheckpointException e) {
            line = "REFUSED " + e.getMessage();
        } catch (OutOfMemoryError e) {
            line = "OOM " + e.getMessage();
        } catch (Exception | Error e) {
            line = "ERROR " + e;
        }
        System.out.println(line.replace('\n', ' '));
        System.out.flush();
    }
}
