package io.jgrad.nn;

import io.jgrad.Generator;
import io.jgrad.Tensor;

/**
 * A lookup table of {@code num} vectors of size {@code dim}: int64 indices of any shape S give an output of shape
 * S + [dim]. The weight starts as N(0, 1), as in PyTorch.
 */
public class Embedding extends Module {
    private final int numEmbeddings;
    private final int embeddingDim;

    public Embedding(int numEmbeddings, int embeddingDim) {
        this(numEmbeddings, embeddingDim, Generator.global());
    }

    public Embedding(int numEmbeddings, int embeddingDim, Generator gen) {
        if (numEmbeddings <= 0 || embeddingDim <= 0) {
            throw new IllegalArgumentException("Embedding: num_embeddings and embedding_dim must be positive, got "
                    + numEmbeddings + " and " + embeddingDim);
        }
        this.numEmbeddings = numEmbeddings;
        this.embeddingDim = embeddingDim;
        registerParameter("weight", Init.normal(Tensor.zeros(numEmbeddings, embeddingDim), 0, 1, gen));
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
        return w.indexSelect(0, indices.reshape(-1)).reshape(outShape);
    }

    @Override
    protected String extraRepr() {
        return numEmbeddings + ", " + embeddingDim;
    }
}
