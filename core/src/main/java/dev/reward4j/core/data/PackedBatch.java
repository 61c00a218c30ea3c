package dev.reward4j.core.data;

import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * S sequences packed into R rows of length T. Within a row, sequence j occupies a contiguous span
 * with segment id {@code j+1} and position ids restarting at 0; padding has segment id 0 and
 * position id 0. A model applies a block-diagonal causal mask: token t may attend to token u iff
 * {@code segment[t] == segment[u] != 0} and {@code u <= t}. Per-sequence results are read back in
 * sequence order from the span {@code [seqStart[s], seqLast[s]]} of row {@code seqRow[s]}; a reward
 * head reads each sequence at the position its pooling gives within that span ({@code
 * DecoderModel.scoresPacked}: {@code seqLast[s]}, or the last token that is not the pad id).
 *
 * <p>Sequence order: for pairs, sequences {@code [0, B)} are the chosen and {@code [B, 2B)} the
 * rejected sequences (the {@link PairBatch} row order), so per-sequence results can be used exactly
 * like PairBatch results. Arrays are attached to the packer's manager.
 *
 * @param inputIds (R, T) int64
 * @param positionIds (R, T) int64, restart at 0 for every sequence
 * @param segmentIds (R, T) int64, 0 = padding, 1.. = segment within the row
 * @param attentionMask (R, T) int64, {@code segmentIds > 0}
 * @param responseMask (R, T) float32, 1 on response tokens
 * @param seqRow (S) int64, row of sequence s
 * @param seqStart (S) int64, first column of sequence s
 * @param seqLast (S) int64, last column of sequence s
 * @param margin (B) float32 or null (pairs only, null when no margins)
 * @param weight (B) float32 or null (pairs only)
 * @param ids example ids (B for pairs, S otherwise)
 * @param realTokens non-padding tokens
 */
public record PackedBatch(
        NDArray inputIds,
        NDArray positionIds,
        NDArray segmentIds,
        NDArray attentionMask,
        NDArray responseMask,
        NDArray seqRow,
        NDArray seqStart,
        NDArray seqLast,
        NDArray margin,
        NDArray weight,
        List<String> ids,
        long realTokens)
        implements AutoCloseable {
    /** Copies the id list. */
    public PackedBatch {
        ids = List.copyOf(ids);
    }

    @Override
    public void close() {
        BatchArrays.closeAll(
                inputIds,
                positionIds,
                segmentIds,
                attentionMask,
                responseMask,
                seqRow,
                seqStart,
                seqLast,
                margin,
                weight);
    }
}
