package dev.reward4j.core.data;

import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * B preference triples in one forward batch of 3B rows: rows {@code [0, B)} are the gold responses,
 * {@code [B, 2B)} the preferred and {@code [2B, 3B)} the rejected responses of the same triples in
 * the same order, each with the shared prompt. Closing the batch closes the arrays.
 *
 * @param inputIds (3B, T) int64 token ids
 * @param attentionMask (3B, T) int64
 * @param lastIndex (3B) int64 last real position
 * @param responseMask (3B, T) float32, 1 on response tokens
 * @param weight (B) float32 example weights
 * @param ids the B example ids
 * @param realTokens non-padding tokens in the batch
 */
public record TripleBatch(
        NDArray inputIds,
        NDArray attentionMask,
        NDArray lastIndex,
        NDArray responseMask,
        NDArray weight,
        List<String> ids,
        long realTokens)
        implements AutoCloseable {
    /** Copies the id list. */
    public TripleBatch {
        ids = List.copyOf(ids);
    }

    /** Number of triples B. */
    public int triples() {
        return ids.size();
    }

    @Override
    public void close() {
        BatchArrays.closeAll(inputIds, attentionMask, lastIndex, responseMask, weight);
    }
}
