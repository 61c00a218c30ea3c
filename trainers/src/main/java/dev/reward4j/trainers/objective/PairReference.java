package dev.reward4j.trainers.objective;

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
}
