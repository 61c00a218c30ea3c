package dev.reward4j.trainers.config;

import dev.reward4j.core.model.RewardPooling;
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
 * @param pooling which token a reward head reads: {@code hf} (transformers' {@code
 *     *ForSequenceClassification} rule, the last token that is not {@code pad_token_id}; the
 *     default) or {@code last-attended} (the last position whose attention mask is 1); see {@link
 *     RewardPooling}. Ignored by policy objectives
 */
public record ModelSection(
        String path,
        String tokenizer,
        String reference,
        String referenceCache,
        String dtype,
        String attention,
        String pooling) {
    static final Set<String> DTYPES = new TreeSet<>(Set.of("float32", "float16"));
    static final Set<String> ATTENTION = new TreeSet<>(Set.of("eager", "fused", "auto"));
    static final Set<String> POOLING = new TreeSet<>(RewardPooling.keys());

    /** Validates the values. */
    public ModelSection {
        Require.oneOf(dtype, DTYPES, "dtype");
        Require.oneOf(attention, ATTENTION, "attention");
        Require.oneOf(pooling, POOLING, "pooling");
    }

    /** A section with the default pooling ({@code hf}). */
    public ModelSection(
            String path,
            String tokenizer,
            String reference,
            String referenceCache,
            String dtype,
            String attention) {
        this(path, tokenizer, reference, referenceCache, dtype, attention, RewardPooling.HF.key());
    }

    /** No model path (must be given), float32, eager attention, transformers' pooling. */
    public static ModelSection defaults() {
        return new ModelSection(null, null, null, null, "float32", "eager", RewardPooling.HF.key());
    }

    /** The parsed {@code pooling}. */
    public RewardPooling rewardPooling() {
        return RewardPooling.parse(pooling);
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
