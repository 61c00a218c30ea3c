package dev.reward4j.core.data;

import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * B step-annotated solutions in one forward batch, with the positions where each step's reward is
 * read. All arrays are attached to the manager passed to the collator; closing the batch closes
 * them.
 *
 * @param inputIds (B, T) int64 token ids, padded
 * @param attentionMask (B, T) int64, 1 on real tokens
 * @param stepRows (B·S) int64 row of each step slot (b for slot (b, s)), for {@code scoresAt}
 * @param stepPositions (B·S) int64 position of each step's separator token (padded slots repeat the
 *     row's last real position, so every read is in range)
 * @param stepLabels (B, S) float32 labels (0 on padded slots)
 * @param stepMask (B, S) float32, 1 for real steps
 * @param weight (B) float32 solution weights (1)
 * @param ids the B example ids
 * @param realTokens number of non-padding tokens in the batch
 */
public record StepBatch(
        NDArray inputIds,
        NDArray attentionMask,
        NDArray stepRows,
        NDArray stepPositions,
        NDArray stepLabels,
        NDArray stepMask,
        NDArray weight,
        List<String> ids,
        long realTokens)
        implements AutoCloseable {
    /** Copies the id list. */
    public StepBatch {
        ids = List.copyOf(ids);
    }

    /** Number of solutions B. */
    public int size() {
        return ids.size();
    }

    /** Padded number of step slots S per solution. */
    public int stepSlots() {
        return (int) stepLabels.getShape().get(1);
    }

    @Override
    public void close() {
        BatchArrays.closeAll(
                inputIds, attentionMask, stepRows, stepPositions, stepLabels, stepMask, weight);
    }
}
