package io.jgrad.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgrad.Tensor;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.RandomAccessFile;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile files and hostile conditions found by outside testing (issue 15): special files, aliases, memory
 * exhaustion by small files, permissions and links on save, stray temporary files, errors that must name the file.
 * The memory limits are checked in child JVMs with a fixed heap (-Xmx64m, -Xmx256m), so this JVM's heap does not
 * matter; they run {@link ChildProbe}.
 */
class CheckpointHardeningTest {

    @TempDir
    Path dir;

    private static final Map<String, Tensor> MODEL = Map.of("w", Tensor.of(new float[]{1, 2, 3}));

    // ------------------------------------------------------------------------------------------------ special files

    @Test
    void aNamedPipeIsRefusedAtOnceInsteadOfBlockingForever() throws Exception {
        Path fifo = dir.resolve("pipe.ckpt");
        Process mk;
        try {
            mk = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
        } catch (IOException e) {
            Assumptions.abort("needs mkfifo (a POSIX system): " + e.getMessage());
            return;
        }
        Assumptions.assumeTrue(mk.waitFor() == 0 && Files.exists(fifo), "mkfifo failed");
        Throwable[] thrown = new Throwable[1];
        Thread reader = new Thread(() -> {
            try {
                Checkpoint.load(fifo);
            } catch (Throwable t) {
                thrown[0] = t;
            }
        }, "fifo reader");
        reader.setDaemon(true);
        reader.start();
        reader.join(10_000);
        if (reader.isAlive()) {
            // unblock the reader stuck in open(): a writer appears and leaves at once
            try (FileChannel w = FileChannel.open(fifo, StandardOpenOption.WRITE)) {
                w.size();
            }
            reader.join(10_000);
        }
        assertTrue(thrown[0] instanceof CheckpointException, "a named pipe must be refused at once, got " + thrown[0]);
        assertTrue(thrown[0].getMessage().contains(fifo.toString()) && thrown[0].getMessage().contains("regular file"),
                thrown[0].getMessage());
    }

    @Test
    void aDirectoryIsRefusedNamingIt() throws IOException {
        Path folder = Files.createDirectory(dir.resolve("run.ckpt"));
        CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoint.load(folder));
        assertTrue(e.getMessage().contains(folder.toString()) && e.getMessage().contains("directory"), e.getMessage());
    }

    // ------------------------------------------------------------------------------------------------ saving

    @Test
    void savingOverAFileKeepsItsPermissions() throws IOException {
        Assumptions.assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"), "needs POSIX permissions");
        Path file = dir.resolve("private.ckpt");
        Checkpoint.save(file, MODEL, null, null);
        for (String mode : new String[]{"rw-------", "rw-r-----", "rw-rw-r--"}) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
            Checkpoint.save(file, MODEL, null, Map.of("mode", mode));
            assertEquals(mode, PosixFilePermissions.toString(Files.getPosixFilePermissions(file)), "saving over a " + mode + " file");
            assertEquals(mode, Checkpoint.load(file).metadata().get("mode"));
        }
    }

    @Test
    void savingToASymbolicLinkUpdatesItsTarget() throws IOException {
        Path real = Files.createDirectory(dir.resolve("store")).resolve("real.ckpt");
        Checkpoint.save(real, MODEL, null, Map.of("v", "1"));
        Path link;
        try {
            link = Files.createSymbolicLink(dir.resolve("latest.ckpt"), Path.of("store", "real.ckpt")); // relative link
        } catch (UnsupportedOperationException | IOException e) {
            Assumptions.abort("needs symbolic links: " + e);
            return;
        }
        Checkpoint.save(link, MODEL, null, Map.of("v", "2"));
        assertTrue(Files.isSymbolicLink(link), "the link is still a link");
        assertEquals("2", Checkpoint.load(real).metadata().get("v"), "its target has the new checkpoint");
        assertEquals("2", Checkpoint.load(link).metadata().get("v"));
        // a dangling link gets its target created
        Path dangling = Files.createSymbolicLink(dir.resolve("next.ckpt"), dir.resolve("store").resolve("new.ckpt"));
        Checkpoint.save(dangling, MODEL, null, Map.of("v", "3"));
        assertTrue(Files.isSymbolicLink(dangling));
        assertEquals("3", Checkpoint.load(dir.resolve("store").resolve("new.ckpt")).metadata().get("v"));
    }

    @Test
    void theNextSaveRemovesTemporaryFilesThatKilledSavesLeft() throws Exception {
        Path file = dir.resolve("ckpt.safetensors");
        Checkpoint.save(file, MODEL, null, null);
        // what saves killed part way leave: recognisable names, partial contents
        Path stale1 = Files.write(dir.resolve(".ckpt.safetensors.1f2e3d4c5b6a7980.tmp"), new byte[1000]);
        Path stale2 = Files.write(dir.resolve(".ckpt.safetensors.a.tmp"), new byte[10]);
        // not ours: another checkpoint's temporary file, and names this writer never makes
        Path otherFile = Files.write(dir.resolve(".other.safetensors.1f2e3d4c5b6a7980.tmp"), new byte[1]);
        Path notHex = Files.write(dir.resolve(".ckpt.safetensors.backup.tmp"), new byte[1]);
        Checkpoint.save(file, MODEL, null, null);
        assertFalse(Files.exists(stale1), "stale temporary file removed");
        assertFalse(Files.exists(stale2), "stale temporary file removed");
        assertTrue(Files.exists(otherFile) && Files.exists(notHex), "files the writer did not make are left alone");

        // a temporary file that a live writer (another process) holds locked is not touched
        Path live = dir.resolve(".ckpt.safetensors.00ff00ff00ff00ff.tmp");
        Process holder = child(List.of(), "lock", live.toString());
        try {
            String line = new String(holder.getInputStream().readNBytes("OK locked".length()), StandardCharsets.UTF_8);
            assertEquals("OK locked", line);
            Checkpoint.save(file, MODEL, null, null);
            assertTrue(Files.exists(live), "a file locked by a live writer stays");
        } finally {
            holder.getOutputStream().close(); // the holder exits, releasing its lock
            assertTrue(holder.waitFor(30, TimeUnit.SECONDS));
        }
        Checkpoint.save(file, MODEL, null, null);
        assertFalse(Files.exists(live), "once its writer is gone, the next save removes it");
        assertArrayEquals(new float[]{1, 2, 3}, Checkpoint.load(file).model().get("w").toFloatArray());
    }

    /** Real kills: a process saving in a loop is killed (SIGKILL) while a temporary file exists, three times. */
    @Test
    void killedSavesLeaveNoStrayAfterTheNextSave() throws Exception {
        Path file = dir.resolve("killed.ckpt");
        int strays = 0;
        for (int kill = 0; kill < 3; kill++) {
            Process saver = child(List.of(), "saveloop", file.toString(), Integer.toString(2_000_000));
            try {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (temporaries().isEmpty() && System.nanoTime() < deadline) Thread.sleep(1);
            } finally {
                saver.destroyForcibly();
                assertTrue(saver.waitFor(30, TimeUnit.SECONDS));
            }
            strays = Math.max(strays, temporaries().size());
        }
        Checkpoint.save(file, MODEL, null, null);
        assertEquals(List.of(), temporaries(), "after the next save (kills left up to " + strays + " at once)");
        assertArrayEquals(new float[]{1, 2, 3}, Checkpoint.load(file).model().get("w").toFloatArray());
    }

    private List<Path> temporaries() throws IOException {
        return listDir().stream().filter(p -> p.getFileName().toString().endsWith(".tmp")).toList();
    }

    @Test
    void saveErrorsNameTheFile() throws Exception {
        // a full disk: the error comes from the write, which names no file
        Path target = dir.resolve("full.ckpt");
        IOException e = assertThrows(IOException.class,
                () -> AtomicFiles.write(target, channel -> {
                    throw new IOException("No space left on device");
                }));
        assertTrue(e.getMessage().contains(target.toString()) && e.getMessage().contains("No space left on device"), e.getMessage());
        assertEquals(List.of(), listDir(), "nothing left behind");

        // a real file-size limit (ulimit -f, in KiB): the kernel answers "File too large"
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/bin/bash")), "needs bash for ulimit");
        Path big = dir.resolve("big.ckpt");
        String out = run(List.of("/bin/bash", "-c", "ulimit -f 256 && exec \"$@\"", "bash"), List.of("-Xmx64m"),
                "save", big.toString(), Integer.toString(1 << 20));
        assertTrue(out.startsWith("ERROR") && out.contains(big.toString()) && out.contains("File too large"), out);
        assertFalse(Files.exists(big));
    }

    // ------------------------------------------------------------------------------------------------ names and reads

    @Test
    void savingIntoAMissingFolderSaysThatTheFolderIsMissing() {
        Path target = dir.resolve("no-such-folder/run.ckpt");
        IOException e = assertThrows(IOException.class, () -> Checkpoint.save(target, MODEL, null, null));
        assertEquals(target + ": saving failed: the folder " + target.getParent().toAbsolutePath() + " does not exist", e.getMessage());
        assertFalse(Files.exists(target.getParent()), "the save made no folder");
    }

    @Test
    void loneSurrogatesAreRefusedOnSaveAndOnRead() throws IOException {
        Path file = dir.resolve("names.ckpt");
        Tensor t = Tensor.of(new float[]{1});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Safetensors.write(file, Map.of("w\uD800", t), null));
        assertTrue(e.getMessage().contains("surrogate") && e.getMessage().contains("d800"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Safetensors.write(file, Map.of("w", t), Map.of("k\uDC01", "v")));
        assertThrows(IllegalArgumentException.class, () -> Safetensors.write(file, Map.of("w", t), Map.of("k", "x\uDBFF")));
        assertThrows(IllegalArgumentException.class, () -> Checkpoint.save(file, Map.of("w", t), null, Map.of("note", "\uDE00")));
        assertFalse(Files.exists(file), "nothing written");
        // a proper pair is fine and reads back unchanged
        Safetensors.write(file, Map.of("w\uD83D\uDE00", t), Map.of("k", "\uD83D\uDE00"));
        assertEquals(Map.of("k", "\uD83D\uDE00"), Safetensors.read(file).metadata());
        assertTrue(Safetensors.read(file).tensors().containsKey("w\uD83D\uDE00"));
        // a \\u escape can make a lone surrogate, which the reference reader refuses too
        Path escaped = writeFile("escaped.ckpt", w -> w.write("{\"__metadata__\":{\"k\":\"\\ud800\"}}"));
        CheckpointException r = assertThrows(CheckpointException.class, () -> Safetensors.read(escaped));
        assertTrue(r.getMessage().contains(escaped.toString()) && r.getMessage().contains("surrogate"), r.getMessage());
    }

    @Test
    void aFileTruncatedWhileReadIsReportedWithItsName() throws IOException {
        Path file = dir.resolve("shrinking.ckpt");
        Safetensors.write(file, Map.of("w", Tensor.zeros(1000)), null);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteSource source = ByteSource.of(channel, file.toString());
            long size = source.size();
            channel.truncate(size / 2); // another process cuts the file after its size was checked
            CheckpointException e = assertThrows(CheckpointException.class, () -> source.readFully(size - 100, ByteBuffer.allocate(100)));
            assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("ended at byte"), e.getMessage());
        }
    }

    @Test
    void writerRefusesWhatTheReaderWouldRefuse() {
        Path file = dir.resolve("never.ckpt");
        int[] rank65 = new int[SafetensorsHeader.MAX_RANK + 1];
        java.util.Arrays.fill(rank65, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Safetensors.write(file, Map.of("deep", Tensor.zeros(1).reshape(rank65)), null));
        assertTrue(e.getMessage().contains("deep") && e.getMessage().contains("rank 65"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Safetensors.write(file, Map.of("wide", Tensor.zeros(1, 1).expand(65536, 65536)), null));
        assertTrue(e.getMessage().contains("wide") && e.getMessage().contains("4294967296"), e.getMessage());
        assertFalse(Files.exists(file));
    }

    // ------------------------------------------------------------------------------------------------ memory

    /**
     * Every file here is at most 6 MB, and each is either read or refused with a {@link CheckpointException} in a JVM
     * of 64 MB heap. Before the limits, the first three needed ~96 MB, ~106 MB and an OutOfMemoryError.
     */
    @Test
    void smallHostileFilesReadOrFailCleanlyIn64MbOfHeap() throws Exception {
        List<Path> files = new ArrayList<>();
        List<String> expected = new ArrayList<>();
        // 400,000 metadata entries in 4 MB
        files.add(writeFile("meta400k.ckpt", w -> {
            w.write("{\"__metadata__\":{");
            for (int i = 0; i < 400_000; i++) w.write((i == 0 ? "" : ",") + "\"k" + i + "\":\"\"");
            w.write("}}");
        }));
        expected.add("REFUSED .*more than 65536 entries.*");
        // a rank-3,000,000 shape in 6 MB
        files.add(writeFile("rank3m.ckpt", w -> {
            w.write("{\"model.w\":{\"dtype\":\"F32\",\"shape\":[1");
            for (int i = 1; i < 3_000_000; i++) w.write(",1");
            w.write("],\"data_offsets\":[0,0]}}");
        }));
        expected.add("REFUSED .*more than 64 dimensions.*");
        // a sparse file whose one tensor claims 2 GiB
        Path sparse = writeFile("sparse.ckpt", w -> w.write("{\"model.w\":{\"dtype\":\"F32\",\"shape\":[536870912],"
                + "\"data_offsets\":[0,2147483648]}}"));
        try (RandomAccessFile f = new RandomAccessFile(sparse.toFile(), "rw")) {
            f.setLength(f.length() + (1L << 31));
        }
        files.add(sparse);
        expected.add("REFUSED .*2147483648 bytes of memory.*heap.*");
        // 6 MB of brackets
        files.add(writeFile("nested.ckpt", w -> {
            w.write("{\"model.w\":{\"x\":");
            for (int i = 0; i < 6_000_000; i++) w.write('[');
            w.write("}}");
        }));
        expected.add("REFUSED .*nests deeper than 64.*");
        // at the limits, legal: the most metadata entries, each as long as 6 MB allows
        String pad = "v".repeat(80);
        files.add(writeFile("metaMax.ckpt", w -> {
            w.write("{\"__metadata__\":{");
            for (int i = 0; i < SafetensorsHeader.MAX_METADATA_ENTRIES; i++) w.write((i == 0 ? "" : ",") + "\"k" + i + "\":\"" + pad + "\"");
            w.write("}}");
        }));
        expected.add("OK 0 tensors, 65536 metadata");
        // the most tensors (empty ones)
        files.add(writeFile("tensorsMax.ckpt", w -> {
            w.write("{");
            for (int i = 0; i < SafetensorsHeader.MAX_TENSORS; i++) {
                w.write((i == 0 ? "" : ",") + "\"model.t" + i + "\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[0,0]}");
            }
            w.write("}");
        }));
        expected.add("OK 65536 tensors, 0 metadata");
        // one 6-million-character metadata value
        files.add(writeFile("longValue.ckpt", w -> {
            w.write("{\"__metadata__\":{\"k\":\"");
            for (int i = 0; i < 6_000; i++) w.write("x".repeat(1000));
            w.write("\"}}");
        }));
        expected.add("OK 0 tensors, 1 metadata");
        // 6 MB of data in one tensor
        Path data = dir.resolve("data.ckpt");
        Checkpoint.save(data, Map.of("w", Tensor.zeros(1_500_000)), null, null);
        files.add(data);
        expected.add("OK 1 tensors, 0 metadata");
        for (Path f : files) {
            assertTrue(Files.size(f) <= 6_100_000 || f.equals(sparse), f + " is " + Files.size(f) + " bytes");
        }

        List<String> args = new ArrayList<>(List.of("load"));
        files.forEach(f -> args.add(f.toString()));
        String[] lines = run(List.of(), List.of("-Xmx64m"), args.toArray(new String[0])).split("\n");
        assertEquals(files.size(), lines.length, String.join("\n", lines));
        for (int i = 0; i < files.size(); i++) {
            String line = lines[i];
            assertTrue(line.matches(expected.get(i)), files.get(i).getFileName() + ": expected " + expected.get(i) + ", got "
                    + line.substring(0, Math.min(400, line.length())));
            if (line.startsWith("REFUSED")) assertTrue(line.contains(files.get(i).toString()), "the message names the file: " + line);
        }
    }

    /** A legal header of 100 MB (the format's limit) reads in a 256 MB heap: it is parsed as a stream. */
    @Test
    void aLegal100MbHeaderReadsIn256MbOfHeap() throws Exception {
        String value = "0123456789abcdef".repeat(62_500); // 1,000,000 characters
        Path file = writeFile("huge-header.ckpt", w -> {
            w.write("{\"__metadata__\":{");
            for (int i = 0; i < 99; i++) w.write((i == 0 ? "" : ",") + "\"note" + i + "\":\"" + value + "\"");
            w.write("},\"model.w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}");
            w.write(" ".repeat(900_000)); // padding, as writers align the data section
            w.write("}");
        }, new byte[8]);
        long headerBytes = Files.size(file) - 8 - 8;
        assertTrue(headerBytes > 99_000_000 && headerBytes <= SafetensorsHeader.MAX_HEADER_BYTES, "header of " + headerBytes + " bytes");
        assertEquals("OK 1 tensors, 99 metadata", run(List.of(), List.of("-Xmx256m"), "load", file.toString()));
    }

    /** A tensor too large for the heap fails naming the op, shape and bytes, not with a bare "Java heap space". */
    @Test
    void anAllocationTooLargeForTheHeapNamesOpShapeAndBytes() throws Exception {
        String out = run(List.of(), List.of("-Xmx64m"), "zeros", Integer.toString(1 << 28));
        assertTrue(out.startsWith("OOM") && out.contains("Tensor.zeros") && out.contains("[268435456]") && out.contains("1073741824"), out);
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private interface JsonBody {
        void write(Writer w) throws IOException;
    }

    /** A safetensors file: the length field, the JSON as written by {@code body} (streamed to disk), then {@code data}. */
    private Path writeFile(String name, JsonBody body, byte... data) throws IOException {
        Path file = dir.resolve(name);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            channel.position(8);
            Writer w = new BufferedWriter(new OutputStreamWriter(Channels.newOutputStream(channel), StandardCharsets.UTF_8), 1 << 16);
            body.write(w);
            w.flush();
            long headerLength = channel.position() - 8;
            channel.write(ByteBuffer.wrap(data));
            channel.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, headerLength), 0);
        }
        return file;
    }

    private List<Path> listDir() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }

    private static Process child(List<String> prefix, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(prefix);
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx64m");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(ChildProbe.class.getName());
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    /** Runs {@link ChildProbe} in a fresh JVM with the given options; its standard output, trimmed. */
    private static String run(List<String> prefix, List<String> jvmOptions, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(prefix);
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(ChildProbe.class.getName());
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "child JVM did not finish");
        assertEquals(0, p.exitValue(), "child JVM failed: " + out);
        return out;
    }
}
