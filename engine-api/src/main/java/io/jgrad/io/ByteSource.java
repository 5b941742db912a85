package io.jgrad.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/** Random-access bytes to read a safetensors file from: an open file or a buffer already in memory. */
interface ByteSource {
    long size() throws IOException;

    /** Fills {@code dst} (position to limit) with the bytes starting at {@code position}. */
    void readFully(long position, ByteBuffer dst) throws IOException;

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

    static ByteSource of(FileChannel channel) {
        return new ByteSource() {
            @Override
            public long size() throws IOException {
                return channel.size();
            }

            @Override
            public void readFully(long position, ByteBuffer dst) throws IOException {
                long at = position;
                while (dst.hasRemaining()) {
                    int n = channel.read(dst, at);
                    // the file was checked against its size up front, so an early end means it shrank meanwhile
                    if (n < 0) throw new CheckpointException("file ended at byte " + at + " while reading (was it truncated meanwhile?)");
                    at += n;
                }
            }
        };
    }
}
