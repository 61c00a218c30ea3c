package dev.reward4j.trainers.preference;

import ai.djl.ndarray.NDArray;
import dev.reward4j.core.data.PairBatch;

/**
 * Where the per-pair label of a labeled objective (soft preference, iREPO, MM-DPO, CREAM) comes
 * from. The data layer carries one optional number per pair, the {@code margin} column of the pair
 * readers ({@code FieldMapping.margin}); {@link #margin()} reads it, so a data file with the
 * preference probability, the reward margin or the consistency rate in that column feeds the
 * objective directly.
 */
@FunctionalInterface
public interface LabelSource {
    /**
     * The {@code (B)} float32 labels of a batch.
     *
     * @param batch the pairs
     * @return labels attached to the batch's manager
     */
    NDArray labels(PairBatch batch);

    /**
     * The batch's margin column; a batch without it is an error naming the example ids.
     *
     * @return the source
     */
    static LabelSource margin() {
        return batch -> {
            if (batch.margin() == null) {
                throw new IllegalArgumentException(
                        "labeled objective: batch "
                                + batch.ids()
                                + " has no per-pair label (margin column); expected a numeric"
                                + " label on every pair");
            }
            return batch.margin();
        };
    }
}
