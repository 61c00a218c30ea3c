package dev.reward4j.core.data;

import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * B unpaired (KTO) examples plus B mismatched KL rows: KL row i is the completion of example i
 * after the prompt of example {@code (i + 1) mod B}, the reference-point estimate of the KTO paper.
 * Requires B >= 2. Arrays are attached to the collator's manager.
 *
 * @param inputIds (B, T) int64
 * @param attentionMask (B, T) int64
 * @param lastIndex (B) int64
 * @param responseMask (B, T) float32, 1 on completion tokens
 * @param desirable (B) float32, 1 desirable, 0 undesirable
 * @param klInputIds (B, T') int64 mismatched rows
 * @param klAttentionMask (B, T') int64
 * @param klResponseMask (B, T') float32, 1 on the completion tokens of the KL rows
 * @param ids the B example ids
 * @param realTokens non-padding tokens in the main rows (KL rows not counted)
 */
public record UnpairedBatch(
        NDArray inputIds,
        NDArray attentionMask,
        NDArray lastIndex,
        NDArray responseMask,
        NDArray desirable,
        NDArray klInputIds,
        NDArray klAttentionMask,
        NDArray klResponseMask,
        List<String> ids,
        long realTokens)
        implements AutoCloseable {
    /** Copies the id list. */
    public UnpairedBatch {
        ids = List.copyOf(ids);
    }

    @Override
    public void close() {
        BatchArrays.closeAll(
                inputIds,
                attentionMask,
                lastIndex,
                responseMask,
                desirable,
                klInputIds,
                klAttentionMask,
                klResponseMask);
    }
}
