package dev.reward4j.core.synth;

/**
 * Disjoint random streams of the generator: training and held-out examples never share a sub-seed.
 */
public enum Split {
    /** Training examples. */
    TRAIN,
    /** Held-out examples (evaluation). */
    HELD_OUT
}
