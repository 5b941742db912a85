package io.jgrad.data;

import io.jgrad.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * A character vocabulary for character-level language models, as in Karpathy's makemore: index 0 is the boundary
 * token {@code '.'}, which marks both the start and the end of a word, and the characters seen in the text follow
 * in code point order from index 1.
 * <pre>{@code
 * CharVocab vocab = CharVocab.fromLines(names);        // names: "emma", "olivia", ...
 * TensorDataset data = vocab.contexts(names, 3);       // "..." -> 'e', "..e" -> 'm', ..., "mma" -> '.'
 * }</pre>
 */
public final class CharVocab {
    /** The boundary token at index 0: the start and end of every word. */
    public static final char BOUNDARY = '.';

    /** Code points by index; codePoints[0] is the boundary. */
    private final int[] codePoints;

    private CharVocab(int[] codePoints) {
        this.codePoints = codePoints;
    }

    /**
     * The vocabulary of every character in {@code lines} plus the boundary.
     *
     * @throws IllegalArgumentException if a line contains the boundary character itself
     */
    public static CharVocab fromLines(Iterable<String> lines) {
        TreeSet<Integer> seen = new TreeSet<>();
        int lineNo = 0;
        for (String line : lines) {
            Objects.requireNonNull(line, "CharVocab.fromLines: line " + lineNo);
            if (line.indexOf(BOUNDARY) >= 0) {
                throw new IllegalArgumentException("CharVocab.fromLines: line " + lineNo + " (\"" + line + "\") contains '"
                        + BOUNDARY + "', which is reserved as the boundary token");
            }
            line.codePoints().forEach(seen::add);
            lineNo++;
        }
        int[] codePoints = new int[seen.size() + 1];
        codePoints[0] = BOUNDARY;
        int i = 1;
        for (int cp : seen) codePoints[i++] = cp;
        return new CharVocab(codePoints);
    }

    /** The number of tokens, boundary included. */
    public int size() {
        return codePoints.length;
    }

    /** The index of one character (code point). */
    public int index(int codePoint) {
        if (codePoint == BOUNDARY) return 0;
        int at = Arrays.binarySearch(codePoints, 1, codePoints.length, codePoint);
        if (at < 0) {
            throw new IllegalArgumentException("CharVocab: character '" + new String(Character.toChars(codePoint))
                    + "' (U+" + String.format("%04X", codePoint) + ") is not in the vocabulary of " + size());
        }
        return at;
    }

    /** The indices of the characters of {@code text}, one per code point. */
    public int[] encode(String text) {
        return text.codePoints().map(this::index).toArray();
    }

    /** The text of a sequence of indices; the boundary decodes to {@code '.'}. */
    public String decode(int... indices) {
        StringBuilder sb = new StringBuilder(indices.length);
        for (int i : indices) {
            if (i < 0 || i >= codePoints.length) {
                throw new IndexOutOfBoundsException("CharVocab.decode: index " + i + " is outside the vocabulary of " + size());
            }
            sb.appendCodePoint(codePoints[i]);
        }
        return sb.toString();
    }

    /**
     * The makemore training set: for every character of every line, and for the end of the line, one example
     * whose input is the indices of the {@code blockSize} previous characters (padded with the boundary at the
     * start of a line) and whose target is that character's index (the boundary at the end). Both tensors are
     * int64: x [examples, blockSize], y [examples].
     */
    public TensorDataset contexts(Iterable<String> lines, int blockSize) {
        Windows w = windows(lines, blockSize);
        return new TensorDataset(Tensor.of(w.inputs, w.count(), blockSize), Tensor.of(w.targets, w.count()));
    }

    /** The examples of {@link #contexts} as host arrays: inputs row-major [count, blockSize], targets [count]. */
    record Windows(long[] inputs, long[] targets) {
        int count() {
            return targets.length;
        }
    }

    Windows windows(Iterable<String> lines, int blockSize) {
        if (blockSize < 1) throw new IllegalArgumentException("CharVocab.contexts: blockSize must be at least 1, got " + blockSize);
        List<String> all = new ArrayList<>(); // a list, so that one-shot iterables can be walked twice
        lines.forEach(all::add);
        long total = 0;
        for (String line : all) total += line.codePointCount(0, line.length()) + 1;
        if (total * blockSize > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("CharVocab.contexts: " + total + " examples of " + blockSize
                    + " characters are too many for one tensor");
        }
        long[] inputs = new long[(int) total * blockSize];
        long[] targets = new long[(int) total];
        int[] context = new int[blockSize];
        int row = 0;
        for (String line : all) {
            Arrays.fill(context, 0);
            int[] encoded = encode(line);
            for (int k = 0; k <= encoded.length; k++) {
                int next = k < encoded.length ? encoded[k] : 0;
                for (int j = 0; j < blockSize; j++) inputs[row * blockSize + j] = context[j];
                targets[row++] = next;
                System.arraycopy(context, 1, context, 0, blockSize - 1);
                context[blockSize - 1] = next;
            }
        }
        return new Windows(inputs, targets);
    }

    @Override
    public String toString() {
        return "CharVocab(" + size() + ": \"" + decode(java.util.stream.IntStream.range(0, size()).toArray()) + "\")";
    }
}
