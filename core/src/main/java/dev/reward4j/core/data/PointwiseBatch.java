package dev.reward4j.core.data;

import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * B rated responses with A attribute targets. Arrays are attached to the collator's manager.
 *
 * @param inputIds (B, T) int64
 * @param attentionMask (B, T) int64
 * @param lastIndex (B) int64, last position with attention mask 1 (the scored position is {@code
 *     DecoderModel.pooledPositions}, see {@link PairBatch})
 * @param targets (B, A) float32 ratings (0 where missing)
 * @param targetMask (B, A) float32, 1 where a rating is present
 * @param ids the B example ids
 * @param realTokens non-padding tokens
 */
public record PointwiseBatch(
        NDArray inputIds,
        NDArray attentionMask,
        NDArray lastIndex,
        NDArray targets,
        NDArray targetMask,
        List<String> ids,
        long realTokens)
        implements AutoCloseable {
    /** Copies the id list. */
    public PointwiseBatch {
        ids = List.copyOf(ids);
    }

    @Override
    public void close() {
        BatchArrays.closeAll(inputIds, attentionMask, lastIndex, targets, targetMask);
    }
}
