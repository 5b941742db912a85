package io.jgrad;

import io.jgrad.amp.Autocast;
import io.jgrad.amp.AutocastOp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * torch.einsum on the ops that already exist: a label repeated within one operand takes a diagonal (a strided view),
 * a label that no later operand nor the output needs is summed away, and each pair of operands becomes one batched
 * matrix product, [batch, left, contracted] x [batch, contracted, right], by permuting and reshaping. Operands fold
 * left to right. Gradients come from those ops (and the diagonal's own rule).
 * <p>
 * Labels are the letters a-z and A-Z; {@code ...} stands for the broadcast dimensions, aligned from the right. Without
 * {@code ->} the output is the ellipsis dimensions followed by the labels that appear once, in alphabetical order. A
 * label of size 1 broadcasts against the same label of another size.
 */
final class Einsum {
    private Einsum() {
    }

    /** Ellipsis dimensions get the labels ELLIPSIS + 0, 1, ...: outside the letters' range. */
    private static final int ELLIPSIS = 1000;

    static Tensor einsum(String equation, Tensor... operands) {
        if (Autocast.active()) return Autocast.call(AutocastOp.EINSUM, in -> einsum(equation, in), operands);
        if (operands.length == 0) throw new IllegalArgumentException("einsum: expects at least one operand for \"" + equation + "\"");
        String eq = equation.replace(" ", "");
        int arrow = eq.indexOf("->");
        String lhs = arrow < 0 ? eq : eq.substring(0, arrow);
        String[] terms = lhs.split(",", -1);
        if (terms.length != operands.length) {
            throw new IllegalArgumentException("einsum: \"" + equation + "\" names " + terms.length + " operand(s) but "
                    + operands.length + " were given");
        }
        Tensor first = operands[0];
        for (Tensor t : operands) {
            t.view();
            Elementwise.sameDevice("einsum", first, t);
        }
        // each term's labels, with the ellipsis expanded to its dimensions (aligned right)
        int[][] explicit = new int[terms.length][];
        int[] ellipsisAt = new int[terms.length];
        int ellipsisDims = 0;
        for (int i = 0; i < terms.length; i++) {
            ellipsisAt[i] = -1;
            explicit[i] = parse(equation, terms[i], i, ellipsisAt, operands[i]);
            int extra = operands[i].dim() - explicit[i].length;
            if (ellipsisAt[i] >= 0) ellipsisDims = Math.max(ellipsisDims, extra);
        }
        int[][] labels = new int[terms.length][];
        for (int i = 0; i < terms.length; i++) {
            int extra = operands[i].dim() - explicit[i].length;
            int[] l = new int[operands[i].dim()];
            int at = 0;
            for (int j = 0; j < explicit[i].length; j++) {
                if (j == ellipsisAt[i]) for (int e = 0; e < extra; e++) l[at++] = ELLIPSIS + ellipsisDims - extra + e;
                l[at++] = explicit[i][j];
            }
            if (ellipsisAt[i] == explicit[i].length) for (int e = 0; e < extra; e++) l[at++] = ELLIPSIS + ellipsisDims - extra + e;
            labels[i] = l;
        }
        // sizes, with size 1 broadcasting
        int[] size = new int[ELLIPSIS + 64];
        Arrays.fill(size, -1);
        for (int i = 0; i < terms.length; i++) {
            for (int d = 0; d < labels[i].length; d++) {
                int l = labels[i][d], s = operands[i].shape[d];
                if (size[l] == -1 || size[l] == 1) size[l] = s;
                else if (s != 1 && s != size[l]) {
                    throw new IllegalArgumentException("einsum: \"" + equation + "\": " + name(l) + " has size " + s + " in operand " + i
                            + " (shape " + operands[i].shape() + ") but " + size[l] + " elsewhere");
                }
            }
        }
        int[] output = output(equation, eq, arrow, labels, ellipsisDims, size);
        Set<Integer> outSet = new LinkedHashSet<>();
        for (int l : output) outSet.add(l);

        // fold: operand by operand, keeping the labels the output or a later operand still needs
        Tensor acc = null;
        int[] accLabels = null;
        for (int i = 0; i < operands.length; i++) {
            Set<Integer> needed = new LinkedHashSet<>(outSet);
            for (int j = i + 1; j < operands.length; j++) for (int l : labels[j]) needed.add(l);
            Set<Integer> neededWithAcc = new LinkedHashSet<>(needed);
            if (acc != null) for (int l : accLabels) neededWithAcc.add(l);
            Labeled b = reduce(diagonals(equation, operands[i], labels[i]), neededWithAcc);
            if (acc == null) {
                Labeled a = reduce(b, needed);
                acc = a.t;
                accLabels = a.labels;
            } else {
                Labeled c = contract(new Labeled(acc, accLabels), b, needed, size);
                acc = c.t;
                accLabels = c.labels;
            }
        }
        // to the output's order (and its broadcast sizes)
        int[] perm = new int[output.length];
        for (int k = 0; k < output.length; k++) perm[k] = indexOf(accLabels, output[k]);
        Tensor out = acc.permute(perm);
        int[] shape = new int[output.length];
        for (int k = 0; k < output.length; k++) shape[k] = size[output[k]];
        return Arrays.equals(out.shape, shape) ? out : out.expand(shape);
    }

    private record Labeled(Tensor t, int[] labels) {
    }

    private static String name(int label) {
        return label >= ELLIPSIS ? "ellipsis dimension " + (label - ELLIPSIS) : "label '" + (char) label + "'";
    }

    private static int[] parse(String equation, String term, int operand, int[] ellipsisAt, Tensor t) {
        List<Integer> out = new ArrayList<>();
        for (int k = 0; k < term.length(); k++) {
            char ch = term.charAt(k);
            if (ch == '.') {
                if (!term.startsWith("...", k) || ellipsisAt[operand] >= 0) {
                    throw new IllegalArgumentException("einsum: \"" + equation + "\": operand " + operand
                            + " has a malformed or second ellipsis");
                }
                ellipsisAt[operand] = out.size();
                k += 2;
            } else if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z')) {
                out.add((int) ch);
            } else {
                throw new IllegalArgumentException("einsum: \"" + equation + "\": '" + ch + "' is not a label (use a-z, A-Z and ...)");
            }
        }
        int[] l = out.stream().mapToInt(Integer::intValue).toArray();
        if (ellipsisAt[operand] < 0 ? l.length != t.dim() : l.length > t.dim()) {
            throw new IllegalArgumentException("einsum: \"" + equation + "\": operand " + operand + " has " + t.dim()
                    + " dimensions (shape " + t.shape() + ") but its subscripts \"" + term + "\" name " + l.length);
        }
        return l;
    }

    private static int[] output(String equation, String eq, int arrow, int[][] labels, int ellipsisDims, int[] size) {
        List<Integer> out = new ArrayList<>();
        if (arrow >= 0) {
            String rhs = eq.substring(arrow + 2);
            Set<Integer> seen = new LinkedHashSet<>();
            for (int k = 0; k < rhs.length(); k++) {
                char ch = rhs.charAt(k);
                if (ch == '.') {
                    if (!rhs.startsWith("...", k) || seen.contains(-1)) {
                        throw new IllegalArgumentException("einsum: \"" + equation + "\": the output has a malformed or second ellipsis");
                    }
                    seen.add(-1);
                    for (int e = 0; e < ellipsisDims; e++) out.add(ELLIPSIS + e);
                    k += 2;
                    continue;
                }
                if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z'))) {
                    throw new IllegalArgumentException("einsum: \"" + equation + "\": '" + ch + "' is not a label (use a-z, A-Z and ...)");
                }
                if (!seen.add((int) ch)) throw new IllegalArgumentException("einsum: \"" + equation + "\": output label '" + ch + "' repeats");
                if (size[ch] == -1) {
                    throw new IllegalArgumentException("einsum: \"" + equation + "\": output label '" + ch + "' appears in no operand");
                }
                out.add((int) ch);
            }
        } else {
            for (int e = 0; e < ellipsisDims; e++) out.add(ELLIPSIS + e);
            int[] count = new int[ELLIPSIS];
            for (int[] l : labels) for (int x : l) if (x < ELLIPSIS) count[x]++;
            TreeSet<Integer> once = new TreeSet<>();
            for (int x = 0; x < ELLIPSIS; x++) if (count[x] == 1) once.add(x);
            out.addAll(once);
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Takes the diagonal of every label that repeats within one operand, leaving each label once. */
    private static Labeled diagonals(String equation, Tensor t, int[] labels) {
        int[] l = labels;
        for (int p = 0; p < l.length; p++) {
            for (int q = l.length - 1; q > p; q--) {
                if (l[q] != l[p]) continue;
                if (t.shape[p] != t.shape[q]) {
                    throw new IllegalArgumentException("einsum: \"" + equation + "\": repeated " + name(l[p]) + " spans sizes "
                            + t.shape[p] + " and " + t.shape[q] + " in shape " + t.shape());
                }
                t = diagonal(t, p, q);
                int[] r = new int[l.length - 1];
                for (int i = 0, j = 0; i < l.length; i++) if (i != q) r[j++] = l[i];
                l = r;
            }
        }
        return new Labeled(t, l);
    }

    /** The view of elements whose indices along p and q agree, with q removed (torch.diagonal, kept at position p). */
    private static Tensor diagonal(Tensor x, int p, int q) {
        x.view();
        int[] shape = ViewOps.dropAxis(x.shape, q);
        long[] strides = new long[shape.length];
        for (int i = 0, j = 0; i < x.dim(); i++) if (i != q) strides[j++] = x.strides[i];
        strides[p] += x.strides[q];
        Tensor out = new Tensor(x.storage, shape, strides, x.offset);
        if (Autograd.needed(x)) {
            int[] inShape = x.shapeArray();
            Autograd.record("DiagonalBackward", out, new Tensor[]{x}, (g, needs) -> {
                Tensor gi = Tensor.zeros(g.dtype(), g.device(), inShape);
                long[] gs = gi.strides;
                long[] ds = new long[shape.length];
                for (int i = 0, j = 0; i < inShape.length; i++) if (i != q) ds[j++] = gs[i];
                ds[p] += gs[q];
                Tensor diag = new Tensor(gi.storage, shape.clone(), ds, 0);
                gi.backend().copy(diag.view(), g.view());
                return new Tensor[]{gi};
            });
        }
        return out;
    }

    /** Sums away the labels that are not needed. */
    private static Labeled reduce(Labeled x, Set<Integer> needed) {
        Tensor t = x.t;
        int[] l = x.labels;
        for (int d = l.length - 1; d >= 0; d--) {
            if (needed.contains(l[d])) continue;
            t = t.sum(d, false);
            int[] r = new int[l.length - 1];
            for (int i = 0, j = 0; i < l.length; i++) if (i != d) r[j++] = l[i];
            l = r;
        }
        return new Labeled(t, l);
    }

    /** One pairwise contraction as a batched matmul; the result carries batch, left-only, then right-only labels. */
    private static Labeled contract(Labeled a, Labeled b, Set<Integer> needed, int[] size) {
        a = reduce(a, union(needed, b.labels));
        b = reduce(b, union(needed, a.labels));
        List<Integer> batch = new ArrayList<>(), contracted = new ArrayList<>(), left = new ArrayList<>(), right = new ArrayList<>();
        for (int l : a.labels) {
            if (indexOf(b.labels, l) >= 0) (needed.contains(l) ? batch : contracted).add(l);
            else left.add(l);
        }
        for (int l : b.labels) if (indexOf(a.labels, l) < 0) right.add(l);
        Tensor ta = arrange(a, size, batch, left, contracted);
        Tensor tb = arrange(b, size, batch, contracted, right);
        int bs = product(size, batch), m = product(size, left), k = product(size, contracted), n = product(size, right);
        Tensor c = ta.reshape(bs, m, k).matmul(tb.reshape(bs, k, n));
        List<Integer> labels = new ArrayList<>(batch);
        labels.addAll(left);
        labels.addAll(right);
        int[] shape = new int[labels.size()];
        for (int i = 0; i < shape.length; i++) shape[i] = size[labels.get(i)];
        return new Labeled(c.reshape(shape), labels.stream().mapToInt(Integer::intValue).toArray());
    }

    private static Set<Integer> union(Set<Integer> s, int[] more) {
        Set<Integer> u = new LinkedHashSet<>(s);
        for (int l : more) u.add(l);
        return u;
    }

    /** x permuted to the given label groups, each label expanded to its full (broadcast) size. */
    @SafeVarargs
    private static Tensor arrange(Labeled x, int[] size, List<Integer>... groups) {
        List<Integer> order = new ArrayList<>();
        for (List<Integer> g : groups) order.addAll(g);
        int[] perm = new int[order.size()];
        int[] shape = new int[order.size()];
        for (int i = 0; i < perm.length; i++) {
            perm[i] = indexOf(x.labels, order.get(i));
            shape[i] = size[order.get(i)];
        }
        Tensor t = x.t.permute(perm);
        return Arrays.equals(t.shape, shape) ? t : t.expand(shape);
    }

    private static int product(int[] size, List<Integer> labels) {
        long p = 1;
        for (int l : labels) p *= size[l];
        if (p > Integer.MAX_VALUE) throw new IllegalArgumentException("einsum: a contracted block of " + p + " elements is too large");
        return (int) p;
    }

    private static int indexOf(int[] a, int v) {
        for (int i = 0; i < a.length; i++) if (a[i] == v) return i;
        return -1;
    }
}
