package io.jgrad.cpu;

import java.util.Arrays;

/**
 * The scalar twin of a packed micro-kernel GEMM ({@link VectorSgemm}): the very same bits, computed row by row with
 * no packing and no vectors, for the first products of a run (see {@link CpuGemm#START_WORK}).
 * <p>
 * What the packed kernel computes for each element of C, and so what this class repeats: k is cut into the same
 * equal blocks ({@link PackedSgemm#depth}); per block, an accumulator starts at +0 and takes one fused multiply-add per
 * step of k, in order; then an element of a full mr x nr tile gets {@code acc * alpha} (beta 0) or
 * {@code fma(acc, alpha, c * beta)}, and an element of a ragged edge tile, which goes through a scratch tile, gets
 * {@code alpha * acc} or {@code alpha * acc + beta * c}. Later blocks add to what the first wrote (beta 1). Which
 * tiles are full depends only on m % mr and n % nr, because every row band and column block starts on a tile.
 * <p>
 * Why not run the packed kernel with a scalar micro-kernel: a short run spends its GEMM time in the interpreter and
 * C1's code, where packing both operands and a scratch tile per micro-tile cost more than the products themselves;
 * the moons demo's tensor run took about 0.2 s more CPU that way than with the plain kernel. Row by row, the inner
 * loop streams a row of B into a row of accumulators, which C2 later vectorises too.
 */
final class TwinSgemm implements FloatGemmKernel {
    private final PackedSgemm of;

    TwinSgemm(PackedSgemm of) {
        this.of = of;
    }

    @Override
    public String name() {
        return of.name() + " (scalar twin)";
    }

    @Override
    public void multiply(int m, int n, int k, float alpha, float[] a, int ao, int ars, int acs, float[] b, int bo,
                         int brs, int bcs, float beta, float[] c, int co, int ldc) {
        rows(0, m, m, n, k, alpha, a, ao, ars, acs, b, bo, brs, bcs, beta, c, co, ldc);
    }

    /** Rows of C are independent here, so any split between threads gives the same bits. */
    @Override
    public void multiplyParallel(int threads, int m, int n, int k, float alpha, float[] a, int ao, int ars, int acs,
                                 float[] b, int bo, int brs, int bcs, float beta, float[] c, int co, int ldc) {
        Parallel.forRange(m, threads, (lo, hi) ->
                rows(lo, hi, m, n, k, alpha, a, ao, ars, acs, b, bo, brs, bcs, beta, c, co, ldc));
    }

    private void rows(int lo, int hi, int m, int n, int k, float alpha, float[] a, int ao, int ars, int acs,
                      float[] b, int bo, int brs, int bcs, float beta, float[] c, int co, int ldc) {
        if (k == 0) {
            CpuGemm.scaleC(hi - lo, n, beta, c, co + lo * ldc, ldc);
            return;
        }
        int kcStep = of.depth(k);
        int fullRows = m - m % of.mr, fullCols = n - n % of.nr;
        float[] acc = new float[n];
        for (int i = lo; i < hi; i++) {
            int ci = co + i * ldc;
            int edgeFrom = i < fullRows ? fullCols : 0; // columns from here on lie in an edge tile
            for (int pc = 0; pc < k; pc += kcStep) {
                int end = Math.min(k, pc + kcStep);
                float beta1 = pc == 0 ? beta : 1f;
                Arrays.fill(acc, 0f);
                for (int l = pc; l < end; l++) {
                    float x = a[ao + i * ars + l * acs];
                    int bl = bo + l * brs;
                    if (bcs == 1) {
                        for (int j = 0; j < n; j++) acc[j] = Math.fma(x, b[bl + j], acc[j]);
                    } else {
                        for (int j = 0; j < n; j++) acc[j] = Math.fma(x, b[bl + j * bcs], acc[j]);
                    }
                }
                for (int j = 0; j < edgeFrom; j++) {
                    c[ci + j] = beta1 == 0f ? acc[j] * alpha : Math.fma(acc[j], alpha, c[ci + j] * beta1);
                }
                for (int j = edgeFrom; j < n; j++) {
                    float v = alpha * acc[j];
                    c[ci + j] = beta1 == 0f ? v : v + beta1 * c[ci + j];
                }
            }
        }
    }
}
