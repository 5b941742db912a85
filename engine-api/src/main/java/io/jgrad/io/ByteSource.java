package io.jgrad.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/** Random-access bytes to read a safetensors file from: an open file or a buffer already in memory. */
interface ByteSource {
    long size() throws IOException;

    /** Fills {@code dst} (position to limit) with the bytes starting at {@code position}. */
    void readFully(long position, ByteBuffer dst) throws IOException;

    /**
     * The {@code length} bytes from {@code start} as a stream, read 64 KiB at a time, so that a large header is
     * parsed without ever being held whole in memory.
     */
    default InputStream stream(long start, long length) {
        return new InputStream() {
            private final ByteBuffer chunk = ByteBuffer.allocate((int) Math.min(1 << 16, Math.max(1, length))).limit(0);
            private long next = start;
            private final long end = start + length;

            @Override
            public int read() throws IOException {
                if (!fill()) return -1;
                return chunk.get() & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (len == 0) return 0;
                if (!fill()) return -1;
                int n = Math.min(len, chunk.remaining());
                chunk.get(b, off, n);
                return n;
            }

            private boolean fill() throws IOException {
                if (chunk.hasRemaining()) return true;
                if (next >= end) return false;
                chunk.clear().limit((int) Math.min(chunk.capacity(), end - next));
                readFully(next, chunk);
                next += chunk.limit();
                chunk.flip();
                return true;
            }
        };
    }

    static ByteSource of(ByteBuffer buffer) {
        ByteBuffer view = buffer.duplicate();
        int base = view.position();
        int size = view.remaining();
        return new ByteSource() {
            @Override
            public long size() {
                return size;
            }

            @Override
            public void readFully(long position, ByteBuffer dst) throws CheckpointException {
                if (position < 0 || position + dst.remaining() > size) {
                    throw new CheckpointException("read of " + dst.remaining() + " bytes at " + position
                            + " runs past the end of the " + size + "-byte buffer");
                }
                ByteBuffer src = view.duplicate();
                src.position(base + (int) position).limit(base + (int) position + dst.remaining());
                dst.put(src);
            }
        };
    }

    /** An open file; {@code origin} (its path) starts every error message. */
    static ByteSource of(FileChannel channel, String origin) {
        return new ByteSource() {
            @Override
            public long size() throws IOException {
                try {
                    return channel.size();
                } catch (CheckpointException e) {
                    throw e;
                } catch (IOException e) {
                    throw new CheckpointException(origin + ": cannot read the file size: " + e.getMessage(), e);
                }
            }

            @Override
            public void readFully(long position, ByteBuffer dst) throws IOException {
                long at = position;
                while (dst.hasRemaining()) {
                    int n;
                    try {
                        n = channel.read(dst, at);
                    } catch (IOException e) {
                        throw new CheckpointException(origin + ": read failed at byte " + at + ": " + e.getMessage(), e);
                    }
                    // the file was checked against its size up front, so an early end means it shrank meanwhile
                    if (n < 0) {
                        throw new CheckpointException(origin + ": file ended at byte " + at
                                + " while reading (was it truncated meanwhile?)");
                    }
                    at += n;
                }
            }
        };
    }
}
