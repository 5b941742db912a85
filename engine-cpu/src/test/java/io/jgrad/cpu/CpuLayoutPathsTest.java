package io.jgrad.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jgrad.DType;
import io.jgrad.spi.Buffer;
import io.jgrad.spi.Gemm;
import io.jgrad.spi.View;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The layout-specific fast paths (tiled transposed copy, narrow GEMMs computed transposed) against plain loops. */
class CpuLayoutPathsTest {
    private final CpuBackend cpu = new CpuBackend();

    @Test
    void transposedCopyMatchesElementByElement() {
        Random rnd = new Random(5);
        // ragged tile edges, a padded leading dimension, an offset, and a size big enough to use both threads
        int[][] cases = {{33, 70, 33, 0}, {64, 64, 70, 3}, {500, 300, 501, 7}};
        for (int[] c : cases) {
            int rows = c[0], cols = c[1], ld = c[2], off = c[3];
            float[] src = new float[off + cols * ld];
            for (int i = 0; i < src.length; i++) src[i] = rnd.nextFloat();
            // in is the transpose of a [cols, ld] row-major matrix: element (i, j) at off + i + j * ld
            View in = new View(cpu.upload(src), off, new int[]{rows, cols}, new long[]{1, ld});
            View out = View.contiguous(cpu.allocate(DType.FLOAT32, (long) rows * cols), rows, cols);
            cpu.copy(out, in);
            float[] got = new float[rows * cols];
            cpu.download(out.buffer, 0, got, 0, got.length);
            float[] want = new float[rows * cols];
            for (int i = 0; i < rows; i++) for (int j = 0; j < cols; j++) want[i * cols + j] = src[off + i + j * ld];
            assertArrayEquals(want, got, "copy of a transposed " + rows + "x" + cols);
        }
        double[] src = new double[40 * 50];
        for (int i = 0; i < src.length; i++) src[i] = i;
        View in = new View(cpu.upload(src), 0, new int[]{50, 40}, new long[]{1, 50});
        View out = View.contiguous(cpu.allocate(DType.FLOAT64, 2000), 50, 40);
        cpu.copy(out, in);
        double[] got = new double[2000];
        cpu.download(out.buffer, 0, got, 0, 2000);
        for (int i = 0; i < 50; i++) for (int j = 0; j < 40; j++) assertEquals(i + 50.0 * j, got[i * 40 + j]);
    }

    /**
     * Copies with short contiguous rows far apart (RowCopy): the head split and merge of multi-head attention, a slice
     * written into its place, and layouts that fall back to the generic walk (five axes left after merging), in
     * float32 and float64, with offsets; the destination's untouched elements keep their values.
     */
    @Test
    void rowCopiesMatchElementByElement() {
        Random rnd = new Random(11);
        // {shape, permutation of a row-major source of the permuted shape, source offset, destination row padding}
        int[][][] cases = {
            {{32, 4, 16, 16}, {0, 2, 1, 3}, {5}, {0}},        // [n, t, h, d] read as [n, h, t, d]
            {{32, 16, 4, 16}, {0, 2, 1, 3}, {0}, {0}},        // and merged back
            {{3, 5, 7, 2, 9}, {1, 0, 3, 2, 4}, {2}, {0}},     // five axes: the generic path
            {{2, 3, 4, 300}, {0, 2, 1, 3}, {1}, {0}},         // long rows
            {{32, 16, 64}, {0, 1, 2}, {3}, {128}},            // a slice written into a wider row
            {{7, 1, 5, 3}, {2, 1, 0, 3}, {0}, {0}}};
        for (int[][] c : cases) {
            int[] shape = c[0], perm = c[1];
            int rank = shape.length, srcOff = c[2][0], pad = c[3][0];
            // the source: a row-major tensor of shape src[perm[d]] = shape[d], viewed through the permutation
            int[] srcShape = new int[rank];
            for (int d = 0; d < rank; d++) srcShape[perm[d]] = shape[d];
            long[] srcStrides = View.contiguousStrides(srcShape), inStrides = new long[rank];
            for (int d = 0; d < rank; d++) inStrides[d] = srcStrides[perm[d]];
            int n = (int) View.numel(shape);
            // the destination: row-major with pad extra elements per last-axis row
            long[] outStrides = new long[rank];
            long acc = 1;
            for (int d = rank - 1; d >= 0; d--) {
                outStrides[d] = acc;
                acc *= d == rank - 1 ? shape[d] + pad : shape[d];
            }
            int outLen = (int) acc + 1;
            for (DType dtype : new DType[]{DType.FLOAT32, DType.FLOAT64}) {
                double[] src = new double[srcOff + n];
                double[] dst = new double[outLen];
                for (int i = 0; i < src.length; i++) src[i] = rnd.nextInt(1000);
                for (int i = 0; i < dst.length; i++) dst[i] = -1 - i;
                Buffer sb = dtype == DType.FLOAT32 ? cpu.upload(toFloats(src)) : cpu.upload(src);
                Buffer db = dtype == DType.FLOAT32 ? cpu.upload(toFloats(dst)) : cpu.upload(dst);
                cpu.copy(new View(db, 1, shape, outStrides), new View(sb, srcOff, shape, inStrides));
                double[] got = new double[outLen];
                if (dtype == DType.FLOAT32) {
                    float[] f = new float[outLen];
                    cpu.download(db, 0, f, 0, outLen);
                    for (int i = 0; i < outLen; i++) got[i] = f[i];
                } else {
                    cpu.download(db, 0, got, 0, outLen);
                }
                double[] want = dst.clone();
                int[] idx = new int[rank];
                for (int e = 0; e < n; e++) {
                    long o = 1, x = srcOff;
                    for (int d = 0; d < rank; d++) {
                        o += idx[d] * outStrides[d];
                        x += idx[d] * inStrides[d];
                    }
                    want[(int) o] = src[(int) x];
                    for (int d = rank - 1; d >= 0 && ++idx[d] == shape[d]; d--) idx[d] = 0;
                }
                assertArrayEquals(want, got, java.util.Arrays.toString(shape) + " " + dtype);
            }
        }
    }

    /**
     * An embedding's row lookup and its gradient (EmbeddingRows): gather and scatter-add along dim 0 with an index
     * repeated across the columns (stride 0), repeated indices summing in row order, against element-by-element
     * loops; a bad index throws and leaves the output as it was.
     */
    @Test
    void rowGatherAndScatterAddMatchElementByElement() {
        Random rnd = new Random(13);
        int rows = 27, n = 100, c = 20, ld = 23;
        float[] table = random(rnd, rows * ld);
        long[] idx = new long[n];
        for (int i = 0; i < n; i++) idx[i] = rnd.nextInt(rows);
        Buffer tb = cpu.upload(table), ib = cpu.upload(idx);
        View index = new View(ib, 0, new int[]{n, c}, new long[]{1, 0});
        View tableView = new View(tb, 1, new int[]{rows, c}, new long[]{ld, 1});
        View out = View.contiguous(cpu.allocate(DType.FLOAT32, (long) n * c), n, c);
        cpu.gather(out, tableView, 0, index);
        float[] got = new float[n * c];
        cpu.download(out.buffer, 0, got, 0, got.length);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < c; j++) assertEquals(table[1 + (int) idx[i] * ld + j], got[i * c + j], "gather " + i + "," + j);
        }
        float[] grad = random(rnd, n * c), acc = random(rnd, rows * c);
        Buffer ab = cpu.upload(acc);
        cpu.scatterAdd(View.contiguous(ab, rows, c), 0, index, View.contiguous(cpu.upload(grad), n, c));
        float[] want = acc.clone();
        for (int i = 0; i < n; i++) for (int j = 0; j < c; j++) want[(int) idx[i] * c + j] += grad[i * c + j];
        float[] sums = new float[rows * c];
        cpu.download(ab, 0, sums, 0, sums.length);
        assertArrayEquals(want, sums, "scatterAdd in row order");
        idx[n - 1] = rows; // out of bounds: nothing written
        View bad = new View(cpu.upload(idx), 0, new int[]{n, c}, new long[]{1, 0});
        org.junit.jupiter.api.Assertions.assertThrows(IndexOutOfBoundsException.class,
                () -> cpu.scatterAdd(View.contiguous(ab, rows, c), 0, bad, View.contiguous(cpu.upload(grad), n, c)));
        cpu.download(ab, 0, sums, 0, sums.length);
        assertArrayEquals(want, sums, "a bad index leaves the sums as they were");
    }

    private static float[] toFloats(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) f[i] = (float) d[i];
        return f;
    }

    @Test
    void narrowProductsMatchADoubleReference() {
        Random rnd = new Random(9);
        // n below 16 with m above it: C is computed transposed; big ones take the threaded path
        int[][] sizes = {{256, 10, 256}, {40, 1, 7}, {17, 15, 3}, {3000, 12, 300}};
        for (int[] s : sizes) {
            for (int t = 0; t < 4; t++) {
                boolean ta = t >= 2, tb = t % 2 == 1;
                int m = s[0], n = s[1], k = s[2];
                float alpha = t == 3 ? -0.5f : 1f, beta = t == 0 ? 0f : 0.75f;
                int lda = (ta ? m : k) + 1, ldb = (tb ? k : n) + 2, ldc = n + 3;
                float[] a = random(rnd, (ta ? k : m) * lda), b = random(rnd, (tb ? n : k) * ldb), c = random(rnd, m * ldc);
                Buffer ab = cpu.upload(a), bb = cpu.upload(b), cb = cpu.upload(c);
                cpu.gemm(new Gemm(ta, tb, 1, m, n, k, alpha, ab, 0, lda, 0, bb, 0, ldb, 0, beta, cb, 0, ldc, 0, false));
                float[] got = new float[c.length];
                cpu.download(cb, 0, got, 0, got.length);
                for (int i = 0; i < m; i++) {
                    for (int j = 0; j < n; j++) {
                        double sum = 0;
                        for (int l = 0; l < k; l++) {
                            sum += (double) a[ta ? l * lda + i : i * lda + l] * b[tb ? j * ldb + l : l * ldb + j];
                        }
                        double want = alpha * sum + beta * c[i * ldc + j];
                        assertEquals(want, got[i * ldc + j], 1e-5 * (1 + Math.sqrt(k)), "m " + m + " n " + n + " k " + k
                                + " case " + t + " at " + i + "," + j);
                    }
                    for (int j = n; j < ldc; j++) assertEquals(c[i * ldc + j], got[i * ldc + j], "padding is untouched");
                }
            }
        }
    }

    @Test
    void threadedKernelsMatchADoubleReferenceAcrossBlocksOfKAndColumns() {
        Random rnd = new Random(13);
        List<FloatGemmKernel> kernels = new ArrayList<>(List.of(new PlainSgemm()));
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) kernels.add(new VectorSgemm());
        // k spans several blocks (256 deep), n more than one 2048-column block, m ragged against 6-row tiles
        int[][] sizes = {{61, 50, 700}, {13, 2100, 300}};
        for (FloatGemmKernel kernel : kernels) {
            for (int[] s : sizes) {
                for (int t = 0; t < 2; t++) {
                    boolean ta = t == 1, tb = t == 1;
                    int m = s[0], n = s[1], k = s[2];
                    float beta = t == 0 ? 0f : 0.5f;
                    int lda = ta ? m : k, ldb = tb ? k : n, ldc = n + 1;
                    float[] a = random(rnd, (ta ? k : m) * lda), b = random(rnd, (tb ? n : k) * ldb), c = random(rnd, m * ldc);
                    float[] got = c.clone();
                    int ars = ta ? 1 : lda, acs = ta ? lda : 1, brs = tb ? 1 : ldb, bcs = tb ? ldb : 1;
                    kernel.multiplyParallel(2, m, n, k, 1f, a, 0, ars, acs, b, 0, brs, bcs, beta, got, 0, ldc);
                    for (int i = 0; i < m; i++) {
                        for (int j = 0; j < n; j++) {
                            double sum = 0;
                            for (int l = 0; l < k; l++) sum += (double) a[i * ars + l * acs] * b[l * brs + j * bcs];
                            assertEquals(sum + beta * c[i * ldc + j], got[i * ldc + j], 1e-5 * (1 + Math.sqrt(k)),
                                    kernel.name() + " m " + m + " n " + n + " k " + k + " at " + i + "," + j);
                        }
                    }
                }
            }
        }
    }

    private static float[] random(Random rnd, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = rnd.nextFloat() * 2 - 1;
        return x;
    }
}
