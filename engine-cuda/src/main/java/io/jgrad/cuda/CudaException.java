package io.jgrad.cuda;

/** A CUDA driver or cuBLAS call failed; the message names the call and the error. */
public class CudaException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    CudaException(String message) {
        super(message);
    }
}
