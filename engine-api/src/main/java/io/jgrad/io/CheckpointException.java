package io.jgrad.io;

import java.io.IOException;

/**
 * A checkpoint or safetensors file that cannot be read: truncated, corrupt, hostile or of an unsupported kind. The
 * message names the file (when there is one) and the exact problem. Nothing is returned from a refused file, so no
 * caller ever sees part of its contents.
 */
public class CheckpointException extends IOException {
    private static final long serialVersionUID = 1L;

    public CheckpointException(String message) {
        super(message);
    }

    public CheckpointException(String message, Throwable cause) {
        super(message, cause);
    }
}
