package dev.reward4j.core.data;

import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * N weighted sequences in one forward batch (supervised fine-tuning with a token loss mask: C-RLFT,
 * Chain of Hindsight). All arrays are attached to the {@code NDManager} passed to the collator;
 * closing the batch closes them.
 *
 * @param inputIds (N, T) int64 token ids, padded with the pad id
 * @param attentionMask (N, T) int64, 1 on real tokens
 * @param targetMask (N, T) float32, 1 where token t's log-probability is in the loss
 * @param weight (N) float32 example weights
 * @param ids the N example ids
 * @param realTokens number of non-padding tokens
 * @param targetTokens number of target tokens (the sum of {@code targetMask}, known on the host)
 */
public record SequenceBatch(
        NDArray inputIds,
        NDArray attentionMask,
        NDArray targetMask,
        NDArray weight,
        List<String> ids,
        long realTokens,
        long targetTokens)
        implements AutoCloseable {
    /** Copies the id list. */
    public SequenceBatch {
        ids = List.copyOf(ids);
    }

    /** Number of sequences N. */
    public int size() {
        return ids.size();
    }

    @Override
    public void close() {
        BatchArrays.closeAll(inputIds, attentionMask, targetMask, weight);
    }
}
