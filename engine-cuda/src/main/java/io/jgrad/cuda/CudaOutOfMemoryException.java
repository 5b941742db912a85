package io.jgrad.cuda;

/** The device had no room for an allocation even after the allocator returned its cached blocks. */
public final class CudaOutOfMemoryException extends CudaException {
    private static final long serialVersionUID = 1L;

    CudaOutOfMemoryException(String message) {
        super(message);
    }
}
