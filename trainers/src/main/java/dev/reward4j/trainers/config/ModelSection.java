package dev.reward4j.trainers.config;

import java.util.Set;
import java.util.TreeSet;

/**
 * {@code model:} the trained model and, for DPO-family objectives, its reference.
 *
 * @param path Hugging Face model directory (config.json + safetensors) to start from
 * @param tokenizer directory with tokenizer.json and tokenizer_config.json; null = {@code path}
 * @param reference frozen reference model directory for reference-based policy objectives; null =
 *     {@code path}
 * @param referenceCache directory of precomputed reference log-probs (written once, reused); null =
 *     no cache
 * @param dtype {@code float32} (CPU and GPU) or {@code float16} (GPU only, with dynamic loss
 *     scaling)
 * @param attention {@code eager}, {@code fused} or {@code auto}
 */
public record ModelSection(
        String path,
        String tokenizer,
        String reference,
        String referenceCache,
        String dtype,
        String attention) {
    static final Set<String> DTYPES = new TreeSet<>(Set.of("float32", "float16"));
    static final Set<String> ATTENTION = new TreeSet<>(Set.of("eager", "fused", "auto"));

    /** Validates the values. */
    public ModelSection {
        Require.oneOf(dtype, DTYPES, "dtype");
        Require.oneOf(attention, ATTENTION, "attention");
    }

    /** No model path (must be given), float32, eager attention. */
    public static ModelSection defaults() {
        return new ModelSection(null, null, null, null, "float32", "eager");
    }

    /** The tokenizer directory ({@code tokenizer}, else {@code path}). */
    public String tokenizerOrModel() {
        return tokenizer != null ? tokenizer : path;
    }

    /** The reference model directory ({@code reference}, else {@code path}). */
    public String referenceOrModel() {
        return reference != null ? reference : path;
    }
}
