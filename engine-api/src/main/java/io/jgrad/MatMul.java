package io.jgrad;

import io.jgrad.amp.Autocast;
import io.jgrad.amp.AutocastOp;
import io.jgrad.spi.Buffer;
import io.jgrad.spi.Gemm;
import io.jgrad.spi.View;
import java.util.Arrays;

/**
 * Matrix product with torch.matmul's shape rules, on the backend's batched strided GEMM.
 * <p>
 * Shape rule: a 1-D left operand is a row [1, k] and a 1-D right operand a column [k, 1] (the added axis is dropped
 * from the result); leading (batch) dimensions broadcast. Transposed and broadcast operands go to the GEMM as
 * transpose flags and batch strides, without copies, whenever their strides allow.
 * <p>
 * Backward: dA = dC · Bᵀ and dB = Aᵀ · dC, summed over the batch dimensions that were broadcast.
 */
final class MatMul {
    private MatMul() {
    }

    static Tensor matmul(Tensor a, Tensor b) {
        if (Autocast.active()) return Autocast.call(AutocastOp.MATMUL, in -> matmul(in[0], in[1]), a, b);
        a.view();
        b.view();
        Elementwise.sameDevice("matmul", a, b);
        if (a.dtype() != b.dtype() || !a.dtype().isFloating()) {
            throw new IllegalArgumentException("matmul: expects two tensors of the same floating dtype, got " + a.dtype()
                    + a.shape() + " and " + b.dtype() + b.shape());
        }
        if (a.dim() == 0 || b.dim() == 0) {
            throw new IllegalArgumentException("matmul: both operands need at least 1 dimension, got shapes " + a.shape() + " and " + b.shape());
        }
        boolean aVec = a.dim() == 1;
        boolean bVec = b.dim() == 1;
        int[] as = aVec ? new int[]{1, a.shape[0]} : a.shape;
        int[] bs = bVec ? new int[]{b.shape[0], 1} : b.shape;
        int m = as[as.length - 2], k = as[as.length - 1];
        int k2 = bs[bs.length - 2], n = bs[bs.length - 1];
        if (k != k2) {
            throw new IllegalArgumentException("matmul: shapes " + a.shape() + " and " + b.shape() + " cannot be multiplied ("
                    + m + "x" + k + " and " + k2 + "x" + n + ")");
        }
        int[] batch;
        try {
            batch = Elementwise.broadcastShapes("matmul", Arrays.copyOf(as, as.length - 2), Arrays.copyOf(bs, bs.length - 2));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("matmul: the batch dimensions of " + a.shape() + " and " + b.shape()
                    + " cannot broadcast (" + e.getMessage() + ")");
        }
        int[] full = Arrays.copyOf(batch, batch.length + 2);
        full[batch.length] = m;
        full[batch.length + 1] = n;

        Tensor ad = a.detach(), bd = b.detach();
        Tensor aMat = aVec ? ad.reshape(as) : ad;
        Tensor bMat = bVec ? bd.reshape(bs) : bd;
        Tensor out = Tensor.empty(a.backend(), a.dtype(), resultShape(full, aVec, bVec));
        gemmInto(out.storage.buffer, batch, m, n, k, aMat, bMat);
        // these views hold references to a's and b's storages: closed now, so that closing a or b frees its memory
        Tensor.closeAll(ad, aMat, bd, bMat);

        if (Autograd.needed(a, b)) {
            Saved sa = Saved.of(a), sb = Saved.of(b);
            Autograd.record("MatmulBackward", out, new Tensor[]{a, b}, (g, needs) -> {
                Tensor A = aVec ? sa.get().reshape(as) : sa.get();
                Tensor B = bVec ? sb.get().reshape(bs) : sb.get();
                Tensor G = g.reshape(full);
                Tensor dA = !needs[0] ? null : G.matmul(B.transpose(-1, -2));
                Tensor dB = !needs[1] ? null : A.transpose(-1, -2).matmul(G);
                // Autograd sums these over broadcast batch dimensions back to each input's shape.
                // A 1-D right operand's gradient has a trailing axis of 1 to drop; the rest reduces as usual.
                return new Tensor[]{dA, dB != null && bVec ? dB.squeeze(-1) : dB};
            }, sa, sb);
        }
        return out;
    }

    private static int[] resultShape(int[] full, boolean aVec, boolean bVec) {
        int r = full.length;
        if (aVec && bVec) return Arrays.copyOf(full, r - 2);
        if (aVec) {
            int[] s = Arrays.copyOf(full, r - 1);
            s[r - 2] = full[r - 1];
            return s;
        }
        if (bVec) return Arrays.copyOf(full, r - 1);
        return full;
    }

    /** One operand as the GEMM sees it: memory, transposition, leading dimension and batch stride. */
    private static final class Operand {
        Buffer buffer;
        long offset;
        boolean trans;
        int ld;
        long batchStride;
    }

    /** C (contiguous, batch x m x n) = A · B, with A [..., m, k] and B [..., k, n] broadcast to {@code batch}. */
    private static void gemmInto(Buffer c, int[] batch, int m, int n, int k, Tensor a, Tensor b) {
        long count = View.numel(batch);
        if (count == 0 || m == 0 || n == 0) return;
        if (k == 0) {
            a.backend().fill(View.contiguous(c, (int) (count * m * n)), 0);
            return;
        }
        Operand A = operand(a, batch);
        Operand B = operand(b, batch);
        a.backend().gemm(new Gemm(A.trans, B.trans, (int) count, m, n, k, 1.0,
                A.buffer, A.offset, A.ld, A.batchStride,
                B.buffer, B.offset, B.ld, B.batchStride,
                0.0, c, 0, n, (long) m * n, Backends.allowTf32()));
    }

    private static Operand operand(Tensor t, int[] batch) {
        int r = t.dim();
        int rows = t.shape[r - 2], cols = t.shape[r - 1];
        int[] target = Arrays.copyOf(batch, batch.length + 2);
        target[batch.length] = rows;
        target[batch.length + 1] = cols;
        Tensor e = t.expand(target);
        Operand op = layout(e, rows, cols, batch.length);
        if (op == null) {
            // Neither row- nor column-major inside, or batch axes that no single stride describes: copy once.
            e = t.contiguous().expand(target);
            op = layout(e, rows, cols, batch.length);
            if (op == null) {
                e = e.contiguous();
                op = layout(e, rows, cols, batch.length);
            }
        }
        return op;
    }

    private static Operand layout(Tensor e, int rows, int cols, int nb) {
        long rs = e.strides[nb], cs = e.strides[nb + 1];
        Operand op = new Operand();
        if ((cs == 1 || cols == 1) && (rs >= Math.max(cols, 1) || rows == 1)) {
            op.trans = false;
            op.ld = rows == 1 ? Math.max(cols, 1) : (int) rs;
        } else if ((rs == 1 || rows == 1) && (cs >= Math.max(rows, 1) || cols == 1)) {
            op.trans = true;
            op.ld = cols == 1 ? Math.max(rows, 1) : (int) cs;
        } else {
            return null;
        }
        // The batch axes must collapse into one stride: all zero (shared), or one dense progression.
        long stride = -1;
        long expected = -1;
        for (int i = nb - 1; i >= 0; i--) {
            if (e.shape[i] == 1) continue;
            long s = e.strides[i];
            if (stride < 0) {
                stride = s;
                expected = s * e.shape[i];
            } else if (stride == 0 ? s != 0 : s != expected) {
                return null;
            } else {
                expected = s * e.shape[i];
            }
        }
        op.batchStride = stride < 0 ? 0 : stride;
        op.buffer = e.storage.buffer;
        op.offset = e.offset;
        return op;
    }
}
