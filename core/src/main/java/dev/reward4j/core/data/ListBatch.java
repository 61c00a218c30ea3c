package dev.reward4j.core.data;

import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * B ranked lists padded to K items each, flattened to B*K rows: row {@code b*K + k} is item k of
 * list b. Padded items are all-padding rows (attention mask 0 everywhere except position 0, so the
 * score is defined but ignored) with {@code itemMask = 0}. Arrays are attached to the collator's
 * manager.
 *
 * @param inputIds (B*K, T) int64
 * @param attentionMask (B*K, T) int64
 * @param lastIndex (B*K) int64, last position with attention mask 1 (0 for padded items); the
 *     scored position is {@code DecoderModel.pooledPositions}, see {@link PairBatch}
 * @param responseMask (B*K, T) float32
 * @param scores (B, K) float32 item scores, higher = better (0 on padded items)
 * @param itemMask (B, K) float32, 1 on real items
 * @param ids the B example ids
 * @param realTokens non-padding tokens
 */
public record ListBatch(
        NDArray inputIds,
        NDArray attentionMask,
        NDArray lastIndex,
        NDArray responseMask,
        NDArray scores,
        NDArray itemMask,
        List<String> ids,
        long realTokens)
        implements AutoCloseable {
    /** Copies the id list. */
    public ListBatch {
        ids = List.copyOf(ids);
    }

    @Override
    public void close() {
        BatchArrays.closeAll(inputIds, attentionMask, lastIndex, responseMask, scores, itemMask);
    }
}
