package dev.reward4j.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Per-sequence response log-probabilities: the sum of token log-probs over a response mask and the
 * number of masked tokens, for DPO-style objectives (sum) and their length-normalised forms (mean).
 *
 * @param sum (N) float32: {@code sum_t tokenLogps[n, t] * responseMask[n, t]}
 * @param count (N) float32: {@code sum_t responseMask[n, t]}
 */
public record SequenceLogps(NDArray sum, NDArray count) {

    /**
     * Sums {@code tokenLogps} (N, T) over {@code responseMask} (N, T, any numeric type, 1 =
     * response token). Results are attached to {@code tokenLogps}' manager and keep autograd.
     */
    public static SequenceLogps of(NDArray tokenLogps, NDArray responseMask) {
        if (!tokenLogps.getShape().equals(responseMask.getShape())) {
            throw new IllegalArgumentException(
                    "SequenceLogps: responseMask shape ("
                            + responseMask.getShape()
                            + ") differs from tokenLogps shape ("
                            + tokenLogps.getShape()
                            + "); expected both (N, T)");
        }
        NDArray mask = responseMask.toType(tokenLogps.getDataType(), false);
        return new SequenceLogps(tokenLogps.mul(mask).sum(new int[] {1}), mask.sum(new int[] {1}));
    }

    /**
     * Sums {@code tokenLogps} (N, T) over the <b>prompt</b> tokens the model predicts: positions t
     * with {@code attentionMask[t] = 1}, {@code attentionMask[t-1] = 1} (so the first real token,
     * which no real token predicts, is left out under left and right padding) and {@code
     * responseMask[t] = 0}. With {@link #of} on the same token log-probs this covers every
     * predicted token of the sequence, as a causal-LM cross-entropy over the full sequence does
     * (TRL's ORPO NLL). Results are attached to {@code tokenLogps}' manager and keep autograd.
     *
     * @param tokenLogps (N, T) from {@link DecoderModel#tokenLogps}
     * @param attentionMask (N, T), 1 on real tokens (any numeric type)
     * @param responseMask (N, T), 1 on response tokens (any numeric type)
     * @return prompt sums and counts, each (N)
     */
    public static SequenceLogps prompt(
            NDArray tokenLogps, NDArray attentionMask, NDArray responseMask) {
        if (!tokenLogps.getShape().equals(attentionMask.getShape())
                || !tokenLogps.getShape().equals(responseMask.getShape())) {
            throw new IllegalArgumentException(
                    "SequenceLogps.prompt: masks ("
                            + attentionMask.getShape()
                            + ", "
                            + responseMask.getShape()
                            + ") differ from tokenLogps shape ("
                            + tokenLogps.getShape()
                            + "); expected all (N, T)");
        }
        DataType dt = tokenLogps.getDataType();
        NDArray attn = attentionMask.toType(dt, false);
        long n = attn.getShape().get(0);
        NDArray previous =
                attn.getManager()
                        .zeros(new Shape(n, 1), dt)
                        .concat(attn.get(new NDIndex(":, :-1")), 1);
        NDArray notResponse = responseMask.toType(dt, false).neg().add(1f);
        NDArray mask = attn.mul(previous).mul(notResponse);
        return new SequenceLogps(tokenLogps.mul(mask).sum(new int[] {1}), mask.sum(new int[] {1}));
    }

    /**
     * Per-sequence sums for packed rows: sequence s lives in row {@code seqRow[s]} and is the
     * segment containing position {@code seqLast[s]}.
     *
     * @param tokenLogps (R, T) from {@link DecoderModel#tokenLogpsPacked}
     * @param responseMask (R, T) packed response mask
     * @param segmentIds (R, T) segment ids (0 = padding)
     * @param seqRow (S) row of each sequence
     * @param seqLast (S) last position of each sequence in its row
     */
    public static SequenceLogps ofPacked(
            NDArray tokenLogps,
            NDArray responseMask,
            NDArray segmentIds,
            NDArray seqRow,
            NDArray seqLast) {
        NDArray rowSegments = segmentIds.get(new NDIndex("{}", seqRow)); // (S, T)
        NDArray own = segmentIds.get(new NDIndex("{}, {}", seqRow, seqLast)); // (S)
        NDArray member = rowSegments.eq(own.expandDims(1)).toType(tokenLogps.getDataType(), false);
        NDArray mask =
                responseMask
                        .get(new NDIndex("{}", seqRow))
                        .toType(tokenLogps.getDataType(), false)
                        .mul(member);
        NDArray rows = tokenLogps.get(new NDIndex("{}", seqRow));
        return new SequenceLogps(rows.mul(mask).sum(new int[] {1}), mask.sum(new int[] {1}));
    }

    /** Mean log-prob per token: {@code sum / count}, 0 where count is 0 (no NaN). */
    public NDArray mean() {
        NDArray safe = count.maximum(Ops.scalar(count, 1));
        NDArray nonEmpty = count.gt(Ops.scalar(count, 0)).toType(DataType.FLOAT32, false);
        return sum.div(safe).mul(nonEmpty);
    }
}
