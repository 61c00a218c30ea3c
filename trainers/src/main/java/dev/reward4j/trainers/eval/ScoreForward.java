package dev.reward4j.trainers.eval;

import ai.djl.ndarray.NDArray;

/**
 * The batched forward pass of a reward model: {@code (N, T)} int64 ids and attention mask to {@code
 * (N)} or {@code (N, K)} float32 scores of the last position with mask 1. {@code
 * DecoderModel::scores} fits.
 */
@FunctionalInterface
public interface ScoreForward {
    /**
     * Scores a padded batch.
     *
     * @param inputIds (N, T) int64 ids
     * @param attentionMask (N, T) int64, 1 on real tokens
     * @return (N) or (N, K) scores, attached to the manager of {@code inputIds}
     */
    NDArray scores(NDArray inputIds, NDArray attentionMask);
}
