package dev.reward4j.trainers.eval;

import ai.djl.ndarray.NDArray;

/**
 * A language model's per-token log-probabilities: {@code (N, T)} ids and mask to {@code (N, T)}
 * float32 where entry {@code t} is {@code log p(ids[t] | ids[<t])} (0 at {@code t = 0}). {@code
 * DecoderModel::tokenLogps} fits.
 */
@FunctionalInterface
public interface TokenLogpsModel {
    /**
     * Per-token log-probs of a padded batch.
     *
     * @param inputIds (N, T) int64 ids
     * @param attentionMask (N, T) int64, 1 on real tokens
     * @return (N, T) log-probs, attached to the manager of {@code inputIds}
     */
    NDArray tokenLogps(NDArray inputIds, NDArray attentionMask);
}
