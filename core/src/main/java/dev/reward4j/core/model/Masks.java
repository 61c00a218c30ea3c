package dev.reward4j.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;

/**
 * Attention masks built from segment ids (unpacked rows: the attention mask itself, 0 = padding).
 */
final class Masks {
    private Masks() {}

    /**
     * The additive (N, 1, T, T) mask: 0 where query q may attend key k, the dtype's finite minimum
     * elsewhere.
     *
     * <p>q attends k when {@code k <= q}, both lie in the same segment and, with a sliding window
     * W, {@code q - k < W}. A real token (segment &ge; 1) therefore never sees padding or another
     * segment, so its output is that of the per-sequence forward; a padding query (segment 0) sees
     * earlier padding and always itself, so no row is fully masked (no NaN after softmax, in fp16
     * either). Two passes over the (N, T, T) comparison plus the conversion to the additive form.
     *
     * @param segments (N, T) integer segment ids; 0 = padding
     * @param window sliding-window size, 0 for full causal attention
     */
    static NDArray additive(NDArray segments, int window, DataType dtype) {
        NDManager m = segments.getManager();
        long t = segments.getShape().get(1);
        NDArray idx = m.arange(0, (int) t, 1, DataType.INT64);
        NDArray qIdx = idx.expandDims(1);
        NDArray kIdx = idx.expandDims(0);
        NDArray causal = qIdx.gte(kIdx);
        if (window > 0) {
            causal = causal.logicalAnd(qIdx.sub(kIdx).lt(Ops.scalar(qIdx, window)));
        }
        NDArray seg = segments.toType(DataType.INT64, false);
        NDArray segQ = seg.expandDims(2);
        NDArray segK = seg.expandDims(1);
        NDArray allowed = segQ.eq(segK).logicalAnd(causal);
        NDArray blocked = allowed.logicalNot().toType(dtype, false);
        return blocked.mul(Ops.scalar(blocked, Ops.finiteMin(dtype))).expandDims(1);
    }
}
