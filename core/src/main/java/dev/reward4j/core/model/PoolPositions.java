package dev.reward4j.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;

/**
 * The position a reward head reads in each sequence, by {@link RewardPooling} rule. Pure index
 * arithmetic on integer arrays (nothing here is differentiable); results are int64 and attached to
 * the manager of the arguments (the caller's step manager).
 */
final class PoolPositions {
    private PoolPositions() {}

    /**
     * Padded rows: (N) int64.
     *
     * <p>{@link RewardPooling#LAST_ATTENDED}, or no pad id ({@code padId < 0}): the last position
     * whose mask is 1 (0 for an all-zero row). {@link RewardPooling#HF}: {@code argmax_t(t *
     * keep[t])} with {@code keep = mask != 0 and ids != padId}, transformers' expression, so 0 when
     * no position is kept.
     *
     * @param inputIds (N, T) integer ids
     * @param attentionMask (N, T) 0/1 mask
     * @param pooling the rule
     * @param padId the pad id the rule skips; -1 when there is none
     */
    static NDArray padded(
            NDArray inputIds, NDArray attentionMask, RewardPooling pooling, int padId) {
        NDArray attended = attentionMask.neq(Ops.scalar(attentionMask, 0));
        NDArray keep =
                pooling == RewardPooling.LAST_ATTENDED || padId < 0
                        ? attended
                        : attended.logicalAnd(inputIds.neq(Ops.scalar(inputIds, padId)));
        return lastTrue(keep);
    }

    /**
     * Packed rows: (S) int64 column of each sequence s in its row {@code seqRow[s]}.
     *
     * <p>{@link RewardPooling#LAST_ATTENDED}, or no pad id: {@code seqLast} itself. {@link
     * RewardPooling#HF}: the last column of the sequence's segment whose id is not {@code padId},
     * or the segment's first column when every id of the segment is the pad id (the position {@link
     * #padded} gives that sequence alone, right padded).
     *
     * @param inputIds (R, T) integer ids
     * @param segmentIds (R, T) segment ids, 0 = padding
     * @param seqRow (S) row of each sequence
     * @param seqLast (S) last column of each sequence
     */
    static NDArray packed(
            NDArray inputIds,
            NDArray segmentIds,
            NDArray seqRow,
            NDArray seqLast,
            RewardPooling pooling,
            int padId) {
        if (pooling == RewardPooling.LAST_ATTENDED || padId < 0) {
            return seqLast.toType(DataType.INT64, false);
        }
        NDArray segRows = segmentIds.get(new NDIndex("{}", seqRow)); // (S, T)
        NDArray idRows = inputIds.get(new NDIndex("{}", seqRow)); // (S, T)
        NDArray own = segmentIds.get(new NDIndex("{}, {}", seqRow, seqLast)); // (S)
        NDArray inSegment = segRows.eq(own.expandDims(1));
        NDArray keep = inSegment.logicalAnd(idRows.neq(Ops.scalar(idRows, padId)));
        NDArray last = lastTrue(keep);
        NDArray first = inSegment.toType(DataType.INT64, false).argMax(1); // first maximum
        NDArray kept = keep.toType(DataType.INT64, false).sum(new int[] {1});
        NDArray anyKept = kept.gt(Ops.scalar(kept, 0));
        return NDArrays.where(anyKept, last, first);
    }

    /** {@code argmax_t(t * flag[t])} per row: the last true column, 0 when none. */
    private static NDArray lastTrue(NDArray flags) {
        NDManager m = flags.getManager();
        long t = flags.getShape().get(1);
        NDArray pos = m.arange(0, (int) t, 1, DataType.INT64);
        return flags.toType(DataType.INT64, false).mul(pos).argMax(1);
    }
}
