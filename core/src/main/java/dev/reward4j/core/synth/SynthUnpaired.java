package dev.reward4j.core.synth;

/**
 * A single completion with a binary desirable/undesirable label and its ground truth.
 *
 * @param id stable id
 * @param task task name
 * @param prompt prompt text
 * @param completion completion text
 * @param desirable the label
 * @param reward ground-truth reward
 * @param desirableProbability probability (under the label model) of the label being {@code desirable}
 */
public record SynthUnpaired(
    String id,
    String task,
    String prompt,
    String completion,
    boolean desirable,
    double reward,
    double desirableProbability) {}
