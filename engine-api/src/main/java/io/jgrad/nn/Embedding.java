package io.jgrad.nn;

import io.jgrad.Generator;
import io.jgrad.Tensor;

/**
 * A lookup table of {@code num} vectors of size {@code dim}: int64 indices of any shape S give an output of shape
 * S + [dim]. The weight starts as N(0, 1), as in PyTorch.
 * <p>
 * With a {@code paddingIdx} (negative counts from the end, as in PyTorch), that row starts as zeros and receives no
 * gradient: lookups of the padding index return the row's current value, but backward leaves it alone (its
 * gradient row is zero), so it stays whatever it was set to.
 */
public class Embedding extends Module {
    private final int numEmbeddings;
    private final int embeddingDim;
    /** The padding row, or -1 for none. */
    private final int paddingIdx;

    public Embedding(int numEmbeddings, int embeddingDim) {
        this(numEmbeddings, embeddingDim, Generator.global());
    }

    public Embedding(int numEmbeddings, int embeddingDim, Generator gen) {
        this(numEmbeddings, embeddingDim, null, gen);
    }

    /** With a padding row ({@code null} for none); drawn from the global generator. */
    public Embedding(int numEmbeddings, int embeddingDim, Integer paddingIdx) {
        this(numEmbeddings, embeddingDim, paddingIdx, Generator.global());
    }

    public Embedding(int numEmbeddings, int embeddingDim, Integer paddingIdx, Generator gen) {
        if (numEmbeddings <= 0 || embeddingDim <= 0) {
            throw new IllegalArgumentException("Embedding: num_embeddings and embedding_dim must be positive, got "
                    + numEmbeddings + " and " + embeddingDim);
        }
        this.numEmbeddings = numEmbeddings;
        this.embeddingDim = embeddingDim;
        if (paddingIdx != null && (paddingIdx >= numEmbeddings || paddingIdx < -numEmbeddings)) {
            throw new IllegalArgumentException("Embedding: padding_idx must be within [-" + numEmbeddings + ", " + numEmbeddings
                    + ") for num_embeddings " + numEmbeddings + ", got " + paddingIdx);
        }
        this.paddingIdx = paddingIdx == null ? -1 : paddingIdx < 0 ? paddingIdx + numEmbeddings : paddingIdx;
        Tensor w = Init.normal(Tensor.zeros(numEmbeddings, embeddingDim), 0, 1, gen);
        if (this.paddingIdx >= 0) w.select(0, this.paddingIdx).zero();
        registerParameter("weight", w);
    }

    /** The table [num_embeddings, embedding_dim]. */
    public Tensor weight() {
        return param("weight");
    }

    @Override
    public Tensor forward(Tensor indices) {
        Tensor w = weight();
        Checks.int64(this, "indices", indices);
        Checks.sameDevice(this, indices, "indices", w, "weight");
        Checks.indicesBelow(this, "index", indices, numEmbeddings);
        int[] shape = indices.shape().toArray();
        int[] outShape = java.util.Arrays.copyOf(shape, shape.length + 1);
        outShape[shape.length] = embeddingDim;
        Tensor flat = indices.reshape(-1);
        Tensor rows = w.indexSelect(0, flat);
        if (paddingIdx >= 0 && rows.requiresGrad()) {
            // the padding positions take the detached rows: same values, no gradient to the padding row
            rows = Tensor.where(flat.ne((long) paddingIdx).unsqueeze(1), rows, rows.detach());
        }
        return rows.reshape(outShape);
    }

    /** The padding row, or null when there is none. */
    public Integer paddingIdx() {
        return paddingIdx < 0 ? null : paddingIdx;
    }

    @Override
    protected String extraRepr() {
        return numEmbeddings + ", " + embeddingDim + (paddingIdx < 0 ? "" : ", padding_idx=" + paddingIdx);
    }
}
