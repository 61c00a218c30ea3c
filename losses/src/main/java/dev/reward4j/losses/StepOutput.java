package dev.reward4j.losses;

import ai.djl.ndarray.NDArray;

/**
 * Result of a {@link StepObjective}. Arrays are attached to the manager of {@code scores.logits()};
 * only {@link #loss()} carries gradient.
 *
 * @param loss the reduced loss (scalar for MEAN/SUM, {@code (B)} weighted per-solution losses for
 *     NONE)
 * @param perExample unweighted per-solution loss {@code (B)} (the sum over its real steps),
 *     detached
 * @param probability {@code (B, S)} step rewards \( \sigma(z) \) (0 on padding), detached
 * @param steps {@code (B)} number of real steps per solution, detached
 */
public record StepOutput(NDArray loss, NDArray perExample, NDArray probability, NDArray steps) {}
