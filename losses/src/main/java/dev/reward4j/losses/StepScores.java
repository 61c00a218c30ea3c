package dev.reward4j.losses;

import ai.djl.ndarray.NDArray;

/**
 * Inputs of a {@link StepObjective}: per-step logits of a process reward model and the step labels,
 * for B solutions padded to S steps.
 *
 * @param logits {@code (B, S)} step logits \( z \), read at each step's separator token
 *     (differentiable)
 * @param labels {@code (B, S)} step labels \( y \in [0, 1] \) (1 = the solution is still correct
 *     after this step; soft Monte-Carlo estimates allowed), constant
 * @param stepMask {@code (B, S)} 1 for real steps, 0 for padding, constant
 */
public record StepScores(NDArray logits, NDArray labels, NDArray stepMask) {}
