package dev.reward4j.trainers.loop;

import ai.djl.ndarray.NDManager;
import dev.reward4j.core.data.DataPosition;

/**
 * An endless, deterministic, resumable stream of micro-batches (epochs follow each other).
 *
 * @param <B> batch type
 */
public interface BatchSource<B> {
    /**
     * Builds the next micro-batch with arrays attached to {@code manager} and advances the
     * position.
     */
    B next(NDManager manager);

    /** Position of the next micro-batch. */
    DataPosition position();

    /** Moves to {@code position} (used on resume). */
    void seek(DataPosition position);
}
