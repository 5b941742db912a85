package io.jgrad.spi;

/**
 * A batched, strided, row-major matrix product: for each batch index p,
 * {@code C_p[m x n] = alpha * op(A_p)[m x k] * op(B_p)[k x n] + beta * C_p}.
 * <p>
 * A is stored row-major as [m x k] (or [k x m] when transA) with row stride lda, and A_p starts at
 * {@code offsetA + p * strideA}; likewise B and C. A batch stride of 0 shares one matrix across the batch.
 * All three buffers have the same floating dtype. {@code allowTf32} lets a backend use reduced-precision
 * float32 tensor-core math; it is off unless the user opted in.
 */
public record Gemm(boolean transA, boolean transB, int batch, int m, int n, int k, double alpha,
                   Buffer a, long offsetA, int lda, long strideA,
                   Buffer b, long offsetB, int ldb, long strideB,
                   double beta,
                   Buffer c, long offsetC, int ldc, long strideC,
                   boolean allowTf32) {
}
