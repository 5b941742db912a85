package io.jgrad;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Names a failed tensor allocation: the public operation the caller invoked, the dtype, shape and bytes requested
 * and the device, in place of a bare "Java heap space".
 */
final class Allocation {
    private Allocation() {
    }

    static OutOfMemoryError outOfMemory(DType dtype, int[] shape, long numel, Device device, OutOfMemoryError cause) {
        String detail = cause.getMessage() == null ? "" : ": " + cause.getMessage();
        OutOfMemoryError e = new OutOfMemoryError(operation() + ": cannot allocate a " + dtype + " tensor of shape "
                + Arrays.toString(shape) + " (" + numel * dtype.byteSize() + " bytes) on " + device + detail);
        e.initCause(cause);
        return e;
    }

    /**
     * The operation the user called, such as "Tensor.zeros" or "Tensor.matmul": the outermost frame of the run of
     * io.jgrad frames on top of the stack (runs only when an allocation has failed).
     */
    private static String operation() {
        List<StackWalker.StackFrame> frames = StackWalker.getInstance().walk(s -> s.skip(2).collect(Collectors.toList()));
        StackWalker.StackFrame entry = null;
        for (StackWalker.StackFrame f : frames) {
            String cls = f.getClassName();
            boolean core = cls.startsWith("io.jgrad.") && cls.indexOf('.', "io.jgrad.".length()) < 0;
            if (!core) break;
            entry = f;
        }
        if (entry == null) return "allocate";
        String cls = entry.getClassName();
        return cls.substring(cls.lastIndexOf('.') + 1).replace('$', '.') + "." + entry.getMethodName();
    }
}
