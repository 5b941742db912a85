package io.jgrad.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * Replaces a file so that readers, and the disk after a crash, see either the whole old file or the whole new one:
 * write a temporary file in the same folder (a rename is atomic only within one file system), force it to disk,
 * then rename it over the target.
 * <ul>
 *   <li>A symbolic link is followed: its final target is replaced and the link stays a link.</li>
 *   <li>A file being replaced keeps its permission bits (a private checkpoint stays private); the temporary file
 *       has them from its creation. Owner and group become the saver's. A new file gets the process's defaults.</li>
 *   <li>Temporary files are named {@code .<name>.<hex>.tmp} and locked while written. A save killed part way
 *       leaves its temporary file behind; the next save to the same path deletes every such file that no live
 *       writer holds, so at most one per interrupted save remains, and only until that path is saved again.</li>
 *   <li>An I/O error (a full disk, a file-size limit) is rethrown with the target's path in its message.</li>
 * </ul>
 */
final class AtomicFiles {
    private AtomicFiles() {
    }

    /** Links followed before giving up, as the kernel's own limit (ELOOP) does. */
    private static final int MAX_LINKS = 40;
    /** Temporary files this JVM is writing: a cleanup here must not open them (closing would drop the lock). */
    private static final Set<Path> WRITING = ConcurrentHashMap.newKeySet();

    interface Body {
        void writeTo(FileChannel channel) throws IOException;
    }

    static void write(Path target, Body body) throws IOException {
        Path file = followLinks(target.toAbsolutePath());
        Path dir = file.getParent();
        String name = file.getFileName().toString();
        Set<PosixFilePermission> keep = existingPermissions(file);
        removeStaleTemporaries(dir, name);
        Path temp = dir.resolve("." + name + "." + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
        WRITING.add(temp);
        boolean moved = false;
        try {
            // a plain create rather than Files.createTempFile, whose owner-only permissions a new checkpoint would keep
            Set<OpenOption> options = Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            FileAttribute<?>[] attributes = keep == null ? new FileAttribute<?>[0]
                    : new FileAttribute<?>[]{PosixFilePermissions.asFileAttribute(keep)}; // never wider than the target's
            try (FileChannel channel = FileChannel.open(temp, options, attributes)) {
                lockQuietly(channel);
                if (keep != null) Files.setPosixFilePermissions(temp, keep); // exactly the target's, whatever the umask
                body.writeTo(channel);
                channel.force(true);
                // renamed while still locked, so another process's cleanup never takes a finished file for a stale one
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                moved = true;
            }
        } catch (IOException | RuntimeException | Error e) {
            if (!moved) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException cleanup) {
                    e.addSuppressed(cleanup);
                }
            }
            if (e instanceof IOException io && !(e instanceof CheckpointException)) throw named(target, io);
            throw e;
        } finally {
            WRITING.remove(temp);
        }
        syncDirectory(dir);
    }

    /** The final target of a chain of symbolic links (which need not exist yet), or {@code path} itself. */
    static Path followLinks(Path path) throws IOException {
        Path p = path;
        for (int hops = 0; Files.isSymbolicLink(p); hops++) {
            if (hops == MAX_LINKS) throw new FileSystemException(path.toString(), null, "too many levels of symbolic links");
            p = p.resolveSibling(Files.readSymbolicLink(p)); // a relative link is relative to its own folder
        }
        return p;
    }

    private static Set<PosixFilePermission> existingPermissions(Path file) throws IOException {
        if (!file.getFileSystem().supportedFileAttributeViews().contains("posix")) return null;
        try {
            return Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /** A lock marks the file as being written, so that another process's cleanup leaves it alone. */
    private static void lockQuietly(FileChannel channel) {
        try {
            channel.tryLock();
        } catch (IOException | OverlappingFileLockException e) {
            // best effort: without a lock another process's cleanup could remove this file, failing this save cleanly
        }
    }

    /**
     * Deletes the temporary files that earlier, interrupted saves to {@code name} left in {@code dir}: those named
     * as this class names them that no writer holds locked. Best effort: a file that cannot be checked stays.
     */
    static void removeStaleTemporaries(Path dir, String name) {
        Pattern ours = Pattern.compile(Pattern.quote("." + name + ".") + "[0-9a-f]{1,16}\\.tmp");
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, "." + globQuote(name) + ".*.tmp")) {
            for (Path p : entries) {
                if (!ours.matcher(p.getFileName().toString()).matches() || WRITING.contains(p)) continue;
                if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) continue;
                try (FileChannel channel = FileChannel.open(p, StandardOpenOption.WRITE)) {
                    FileLock lock = channel.tryLock();
                    if (lock == null) continue; // a live writer in another process holds it
                    Files.deleteIfExists(p);
                } catch (IOException | OverlappingFileLockException e) {
                    // held, gone meanwhile, or not ours to open: leave it
                }
            }
        } catch (IOException | RuntimeException e) {
            // a folder that cannot be listed: the save itself reports any real problem
        }
    }

    private static String globQuote(String s) {
        StringBuilder sb = new StringBuilder();
        for (char c : s.toCharArray()) {
            if ("*?[]{}\\".indexOf(c) >= 0) sb.append('\\');
            sb.append(c);
        }
        return sb.toString();
    }

    /** The same failure with the target's path in its message (a full disk says only "No space left on device"). */
    private static IOException named(Path target, IOException e) {
        String message = String.valueOf(e.getMessage());
        Path folder = target.toAbsolutePath().getParent();
        if (e instanceof NoSuchFileException && folder != null && !Files.isDirectory(folder)) {
            return new IOException(target + ": saving failed: the folder " + folder + " does not exist", e);
        }
        if (message.contains(target.toString())) return e;
        return new IOException(target + ": saving failed: " + message, e);
    }

    /** Makes the rename itself durable. Best effort: some platforms (Windows) cannot open a folder as a channel. */
    private static void syncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // the rename already happened atomically; only its durability across a power loss is weaker here
        }
    }
}
