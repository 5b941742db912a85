package io.jgrad.cpu;

/**
 * A float32 matrix product C = alpha * op(A) op(B) + beta * C, where op(A) is m x k with element (i, p) at
 * a[ao + i*ars + p*acs] (so a transpose is just swapped strides), op(B) is k x n likewise, and C is row-major with
 * row stride ldc. When beta is 0, C is not read (it may hold garbage, even NaN).
 */
interface FloatGemmKernel {
    String name();

    /** On the calling thread. */
    void multiply(int m, int n, int k, float alpha,
                  float[] a, int ao, int ars, int acs,
                  float[] b, int bo, int brs, int bcs,
                  float beta, float[] c, int co, int ldc);

    /** On up to {@code threads} threads, the caller being one of them. */
    void multiplyParallel(int threads, int m, int n, int k, float alpha,
                          float[] a, int ao, int ars, int acs,
                          float[] b, int bo, int brs, int bcs,
                          float beta, float[] c, int co, int ldc);

    /**
     * A kernel giving the very same bits without code that needs the JIT to be fast (the Vector API kernel's scalar
     * twin), for the first products of a run; this kernel itself where it has no such cost.
     */
    default FloatGemmKernel twin() {
        return this;
    }
}
