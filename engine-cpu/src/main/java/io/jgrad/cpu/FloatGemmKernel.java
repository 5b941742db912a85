package io.jgrad.cpu;

/**
 * One single-threaded float32 matrix product C = alpha * op(A) op(B) + beta * C, where op(A) is m x k with element
 * (i, p) at a[ao + i*ars + p*acs] (so a transpose is just swapped strides), op(B) is k x n likewise, and C is
 * row-major with row stride ldc. When beta is 0, C is not read (it may hold garbage, even NaN).
 * {@link CpuGemm} splits big products into blocks of C and runs one block per thread.
 */
interface FloatGemmKernel {
    String name();

    /** Rows of C a block should be a multiple of (the micro-kernel height). */
    int rowGrain();

    /** Columns of C a block should be a multiple of (the micro-kernel width). */
    int columnGrain();

    /** Whether threads should share a product by columns of C (else by rows). */
    boolean splitColumns(int m, int n);

    void multiply(int m, int n, int k, float alpha,
                  float[] a, int ao, int ars, int acs,
                  float[] b, int bo, int brs, int bcs,
                  float beta, float[] c, int co, int ldc);
}
