package io.jgrad.cuda;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jcuda.Pointer;

/**
 * Packs one kernel's argument struct into native memory with C's natural alignment, so that a launch is one
 * cuLaunchKernel call with one parameter. One writer per thread, reused for every launch: no garbage per launch.
 */
final class ArgWriter {
    private static final int CAPACITY = 1024;
    private static final ThreadLocal<ArgWriter> PER_THREAD = ThreadLocal.withInitial(ArgWriter::new);

    private final ByteBuffer buffer = ByteBuffer.allocateDirect(CAPACITY).order(ByteOrder.nativeOrder());
    /** The kernelParams array for cuLaunchKernel: one pointer, to the struct. */
    final Pointer kernelParams = Pointer.to(Pointer.to(buffer));
    private int position;

    /** This thread's writer, emptied. */
    static ArgWriter start() {
        ArgWriter w = PER_THREAD.get();
        w.position = 0;
        return w;
    }

    ArgWriter i32(int v) {
        align(4);
        buffer.putInt(position, v);
        position += 4;
        return this;
    }

    ArgWriter i64(long v) {
        align(8);
        buffer.putLong(position, v);
        position += 8;
        return this;
    }

    ArgWriter f64(double v) {
        align(8);
        buffer.putDouble(position, v);
        position += 8;
        return this;
    }

    ArgWriter flag(boolean v) {
        return i32(v ? 1 : 0);
    }

    /** The {@code Layout} struct of common.cuh: n, rank, pad, shape[8], stride[4][8]. */
    ArgWriter layout(IterationSpace s) {
        i64(s.n).i32(s.rank).i32(0);
        for (int d = 0; d < IterationSpace.MAX_RANK; d++) i32(d < s.rank ? s.shape[d] : 1);
        for (int k = 0; k < IterationSpace.MAX_OPERANDS; k++) {
            for (int d = 0; d < IterationSpace.MAX_RANK; d++) {
                i64(k < s.strides.length && d < s.rank ? s.strides[k][d] : 0);
            }
        }
        return this;
    }

    /** The struct's size as C computes it: rounded up to its 8-byte alignment. */
    int structSize() {
        return (position + 7) & ~7;
    }

    private void align(int a) {
        position = (position + a - 1) & -a;
        if (position + 8 > CAPACITY) throw new IllegalStateException("kernel arguments exceed " + CAPACITY + " bytes");
    }
}
