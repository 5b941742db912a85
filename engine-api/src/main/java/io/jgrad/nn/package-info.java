/**
 * Neural-network building blocks on top of {@link io.jgrad.Tensor}: {@link io.jgrad.nn.Module} and its layers
 * (Linear, BatchNorm1d, LayerNorm, Embedding, Dropout, activations, containers), weight initialisation
 * ({@link io.jgrad.nn.Init}) and loss functions ({@link io.jgrad.nn.Losses}). Names and semantics follow PyTorch's
 * {@code torch.nn}, so state dicts and hand-computed PyTorch results carry over.
 * <p>
 * {@code java.lang.Module} shares the name {@code Module}, so a wildcard import needs its single-type companion,
 * which shadows {@code java.lang.Module}:
 * <pre>{@code
 * import io.jgrad.nn.*;
 * import io.jgrad.nn.Module;   // without this line, "Module" is ambiguous
 * }</pre>
 */
package io.jgrad.nn;
