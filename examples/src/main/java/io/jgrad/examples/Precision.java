package io.jgrad.examples;

import io.jgrad.DType;
import io.jgrad.amp.Autocast;
import io.jgrad.amp.GradScaler;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The examples' {@code --precision}: fp32 (plain float32), bf16 (bfloat16 autocast) or fp16 (float16 autocast with
 * a {@link GradScaler}). Parameters and optimizer state stay float32 in all three; only the forward pass's products
 * run in the half type. The choice is printed in the run's header and kept in checkpoints, with the scaler's state.
 */
enum Precision {
    FP32(null), BF16(DType.BFLOAT16), FP16(DType.FLOAT16);

    /** The checkpoint metadata key of the precision; the scaler's state goes under {@value #SCALER_PREFIX}. */
    static final String KEY = "precision";
    static final String SCALER_PREFIX = "grad_scaler.";

    private final DType autocast;

    Precision(DType autocast) {
        this.autocast = autocast;
    }

    /** "fp32", "bf16" or "fp16"; anything else is refused, naming the choices. */
    static Precision parse(String text) {
        for (Precision p : values()) if (p.label().equals(text.trim().toLowerCase(Locale.ROOT))) return p;
        throw new IllegalArgumentException("--precision must be fp32, bf16 or fp16, got '" + text + "'");
    }

    String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The header's wording: "fp32", "bf16 (bfloat16 autocast)", "fp16 (float16 autocast, loss scaling)". */
    String describe() {
        return switch (this) {
            case FP32 -> "fp32";
            case BF16 -> "bf16 (bfloat16 autocast, float32 weights)";
            case FP16 -> "fp16 (float16 autocast with loss scaling, float32 weights)";
        };
    }

    /** The forward pass's autocast scope, or null for fp32 (try-with-resources skips a null resource). */
    Autocast autocast() {
        return autocast == null ? null : Autocast.enable(autocast);
    }

    /** A scaler that is enabled for fp16 only (bfloat16 has float32's range and needs none). */
    GradScaler scaler() {
        return new GradScaler(this == FP16);
    }

    /** The precision and the scaler's state as checkpoint metadata. */
    Map<String, String> metadata(GradScaler scaler) {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put(KEY, label());
        scaler.stateDict().forEach((k, v) -> meta.put(SCALER_PREFIX + k, Double.toString(v)));
        return meta;
    }

    /** Restores the scaler's state from checkpoint metadata, where the checkpoint has one and the scaler is on. */
    static void restore(GradScaler scaler, Map<String, String> metadata) {
        Map<String, Double> state = new LinkedHashMap<>();
        metadata.forEach((k, v) -> {
            if (k.startsWith(SCALER_PREFIX)) state.put(k.substring(SCALER_PREFIX.length()), Double.parseDouble(v));
        });
        if (scaler.isEnabled() && !state.isEmpty()) scaler.loadStateDict(state);
    }
}
