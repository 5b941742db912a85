package io.jgrad.io;

import io.jgrad.Grad;
import io.jgrad.Tensor;
import io.jgrad.nn.Module;
import io.jgrad.optim.Optimizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A training checkpoint: a model's state, an optimizer's state and string metadata (epoch, step, loss...), saved
 * as one safetensors file. Model tensors are stored under {@code model.}, optimizer tensors under {@code optim.},
 * so the file also opens in Python ({@code safetensors.torch.load_file}).
 * <p>
 * Saving is atomic (see {@link Safetensors#write}); loading either returns everything or throws, so a truncated
 * or corrupt file never reaches a model. {@link #restore} applies a checkpoint to a module and an optimizer through
 * their strict {@code loadStateDict}, which validates names and shapes before changing anything.
 *
 * @param model     model tensors by state-dict name (prefix removed), in file order
 * @param optimizer optimizer tensors by state-dict name (prefix removed), in file order; empty if none were saved
 * @param metadata  the caller's metadata
 */
public record Checkpoint(Map<String, Tensor> model, Map<String, Tensor> optimizer, Map<String, String> metadata) {
    public static final String MODEL_PREFIX = "model.";
    public static final String OPTIMIZER_PREFIX = "optim.";
    /** Metadata key marking jgrad checkpoints, with the layout version as its value. */
    static final String FORMAT_KEY = "jgrad.checkpoint";
    static final String FORMAT_VERSION = "1";

    public Checkpoint {
        Objects.requireNonNull(model, "Checkpoint: model");
        Objects.requireNonNull(optimizer, "Checkpoint: optimizer (use an empty map for none)");
        Objects.requireNonNull(metadata, "Checkpoint: metadata");
        model = Collections.unmodifiableMap(new LinkedHashMap<>(model));
        optimizer = Collections.unmodifiableMap(new LinkedHashMap<>(optimizer));
        metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }

    /**
     * Saves a checkpoint atomically, replacing any file at {@code path} but keeping its permissions (a symbolic link
     * is followed and stays a link). A save killed part way leaves a {@code .<name>.<hex>.tmp} file, which the next
     * save to the same path removes.
     *
     * @param optimizer the optimizer's state, or null to save the model alone
     * @param metadata  string pairs to keep with it, or null; the key {@code jgrad.checkpoint} is reserved
     */
    public static void save(Path path, Map<String, Tensor> model, Map<String, Tensor> optimizer,
                            Map<String, String> metadata) throws IOException {
        if (model == null) throw new IllegalArgumentException("Checkpoint.save: model state must not be null");
        Map<String, Tensor> all = new LinkedHashMap<>();
        model.forEach((name, t) -> all.put(MODEL_PREFIX + name, t));
        if (optimizer != null) optimizer.forEach((name, t) -> all.put(OPTIMIZER_PREFIX + name, t));
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put(FORMAT_KEY, FORMAT_VERSION);
        if (metadata != null) {
            if (metadata.containsKey(FORMAT_KEY)) {
                throw new IllegalArgumentException("Checkpoint.save: metadata key '" + FORMAT_KEY + "' is reserved");
            }
            meta.putAll(metadata);
        }
        Safetensors.write(path, all, meta);
    }

    /** Saves a module's and (unless null) an optimizer's {@code stateDict()} atomically; see the map overload. */
    public static void save(Path path, Module model, Optimizer optimizer, Map<String, String> metadata) throws IOException {
        save(path, model.stateDict(), optimizer == null ? null : optimizer.stateDict(), metadata);
    }

    /**
     * Loads a checkpoint into a module and (unless null) an optimizer, all or nothing: a file that cannot be read
     * changes neither, and if the optimizer refuses its state after the module accepted its own, the module's
     * previous values are put back. Returns the checkpoint for its metadata.
     *
     * @throws CheckpointException      if the file is truncated, corrupt or not a checkpoint
     * @throws IllegalArgumentException if the state does not fit the module or optimizer (from their strict
     *                                  {@code loadStateDict})
     */
    public static Checkpoint restore(Path path, Module model, Optimizer optimizer) throws IOException {
        Checkpoint checkpoint = load(path);
        if (optimizer == null) {
            model.loadStateDict(checkpoint.model());
            return checkpoint;
        }
        Map<String, Tensor> previous = new LinkedHashMap<>();
        try (Grad.Mode ignored = Grad.disabled()) {
            model.stateDict().forEach((name, t) -> previous.put(name, t.clone()));
        }
        try {
            model.loadStateDict(checkpoint.model());
            try {
                optimizer.loadStateDict(checkpoint.optimizer());
            } catch (RuntimeException e) {
                model.loadStateDict(previous);
                throw e;
            }
        } finally {
            previous.values().forEach(Tensor::close);
        }
        return checkpoint;
    }

    /**
     * Loads a checkpoint saved by {@link #save}, or any safetensors file whose tensor names all start with
     * {@value #MODEL_PREFIX} or {@value #OPTIMIZER_PREFIX}.
     *
     * @throws CheckpointException if the file is truncated, corrupt, over the reader's limits, not a regular file,
     *                             from a newer format, or has other tensors; the message starts with the path
     */
    public static Checkpoint load(Path path) throws IOException {
        Safetensors.Contents contents = Safetensors.read(path);
        try {
            return split(path, contents);
        } catch (CheckpointException e) {
            contents.tensors().values().forEach(Tensor::close); // free device memory now rather than at collection
            throw e;
        }
    }

    private static Checkpoint split(Path path, Safetensors.Contents contents) throws CheckpointException {
        String version = contents.metadata().get(FORMAT_KEY);
        if (version != null && !version.equals(FORMAT_VERSION)) {
            throw new CheckpointException(path + ": checkpoint format version '" + version
                    + "' is not supported (this jgrad reads version " + FORMAT_VERSION + ")");
        }
        Map<String, Tensor> model = new LinkedHashMap<>();
        Map<String, Tensor> optimizer = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : contents.tensors().entrySet()) {
            String name = e.getKey();
            if (name.startsWith(MODEL_PREFIX)) {
                model.put(name.substring(MODEL_PREFIX.length()), e.getValue());
            } else if (name.startsWith(OPTIMIZER_PREFIX)) {
                optimizer.put(name.substring(OPTIMIZER_PREFIX.length()), e.getValue());
            } else {
                throw new CheckpointException(path + ": tensor '" + name + "' is neither model state ('" + MODEL_PREFIX
                        + "') nor optimizer state ('" + OPTIMIZER_PREFIX + "'); use Safetensors.read for plain files");
            }
        }
        Map<String, String> metadata = new LinkedHashMap<>(contents.metadata());
        metadata.remove(FORMAT_KEY);
        return new Checkpoint(model, optimizer, metadata);
    }
}
