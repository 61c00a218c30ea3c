package dev.reward4j.core.data;

import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * Chosen and rejected sequences of B pairs in one forward batch of 2B rows: rows {@code [0, B)} are
 * the chosen sequences, rows {@code [B, 2B)} the rejected sequences of the same pairs in the same
 * order. All arrays are attached to the {@code NDManager} passed to the collator; closing the batch
 * closes them.
 *
 * @param inputIds (2B, T) int64 token ids, padded with the pad id (left or right)
 * @param attentionMask (2B, T) int64, 1 on real tokens
 * @param lastIndex (2B) int64, the last position with attention mask 1 (right padding: length-1,
 *     left padding: T-1). This is the scored token only under {@code RewardPooling.LAST_ATTENDED};
 *     {@code DecoderModel.scores} computes the scored position itself from the ids and the mask
 *     ({@code DecoderModel.pooledPositions}), which under the default pooling differs from this
 *     when a sequence ends with the pad id (pad == EOS)
 * @param responseMask (2B, T) float32, 1 where token t belongs to the response (used for log
 *     p(token t))
 * @param margin (B) float32, or null when no pair in the batch has a margin (missing margins are 0)
 * @param weight (B) float32 example weights
 * @param ids the B example ids
 * @param realTokens number of non-padding tokens in the batch
 */
public record PairBatch(
        NDArray inputIds,
        NDArray attentionMask,
        NDArray lastIndex,
        NDArray responseMask,
        NDArray margin,
        NDArray weight,
        List<String> ids,
        long realTokens)
        implements AutoCloseable {
    /** Copies the id list. */
    public PairBatch {
        ids = List.copyOf(ids);
    }

    /** Number of pairs B. */
    public int pairs() {
        return ids.size();
    }

    @Override
    public void close() {
        BatchArrays.closeAll(inputIds, attentionMask, lastIndex, responseMask, margin, weight);
    }
}
