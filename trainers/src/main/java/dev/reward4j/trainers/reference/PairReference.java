package dev.reward4j.trainers.reference;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.reward4j.core.data.PairBatch;

/** Reference log-probs of preference pairs: a frozen model or a precomputed cache. */
public interface PairReference {
    /**
     * Summed response log-probs under the reference, {@code (2B)} in batch row order (chosen rows,
     * then rejected rows), detached, attached to {@code manager} (the micro-batch manager).
     */
    NDArray chosenAndRejected(PairBatch batch, NDManager manager);

    /**
     * Reference log-probs summed over {@code mask} instead of the response mask, {@code (2B)} in
     * batch row order, detached (LD-DPO's tails past each pair's shared response length). Only a
     * frozen model can answer; a cache of summed log-probs cannot.
     *
     * @param batch the micro-batch
     * @param mask (2B, T) tokens to sum over
     * @param manager the micro-batch manager
     * @return the sums
     * @throws IllegalStateException when this reference holds sums only
     */
    default NDArray chosenAndRejectedOver(PairBatch batch, NDArray mask, NDManager manager) {
        throw new IllegalStateException(
                "reference: LD-DPO (ld_alpha) needs the reference's token log-probs past each"
                        + " pair's shared length, but this reference holds summed log-probs only;"
                        + " train without model.reference_cache");
    }
}
