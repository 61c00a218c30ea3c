package dev.reward4j.losses;

import ai.djl.ndarray.NDArray;

/**
 * Inputs of a {@link PreferenceEmbeddingObjective}: the raw preference embeddings of the chosen and
 * rejected response of each pair (the head outputs before normalisation) and optional
 * prompt-dependent gate logits.
 *
 * @param chosen {@code (B, 2k)} embeddings of the chosen responses (differentiable)
 * @param rejected {@code (B, 2k)} embeddings of the rejected responses (differentiable)
 * @param gateLogits {@code (B, k)} logits of the eigenvalue scale gate, computed from the prompt
 *     (differentiable), or null for the constant gate \( \lambda = 1 \)
 */
public record EmbeddingPair(NDArray chosen, NDArray rejected, NDArray gateLogits) {

    /**
     * A pair without gate (every 2x2 block weighted 1).
     *
     * @param chosen {@code (B, 2k)} chosen embeddings
     * @param rejected {@code (B, 2k)} rejected embeddings
     * @return the inputs
     */
    public static EmbeddingPair of(NDArray chosen, NDArray rejected) {
        return new EmbeddingPair(chosen, rejected, null);
    }

    /**
     * A copy with gate logits.
     *
     * @param gateLogits {@code (B, k)} gate logits
     * @return the inputs
     */
    public EmbeddingPair withGate(NDArray gateLogits) {
        return new EmbeddingPair(chosen, rejected, gateLogits);
    }
}
