package dev.reward4j.core.synth;

import java.util.List;
import java.util.SplittableRandom;

/**
 * A family of prompts whose responses have a checkable ground-truth quality.
 *
 * <p>{@link #judge} reads only the text, so the ground truth is a property of the data, not of the
 * generator's hidden state; the generator's tests check that the responses it samples are judged at
 * the intended quality level.
 */
public sealed interface SynthTask permits ArithmeticTask, ConstraintTask, ConsistencyTask {
    /**
     * Samples a prompt and {@code count} responses, with pairwise distinct quality levels while the
     * task has enough levels (then levels repeat). Consumes {@code rng} deterministically.
     */
    Scenario sample(SplittableRandom rng, int count);

    /**
     * The ground-truth quality of {@code response} to {@code prompt}, computed from the text alone.
     */
    Judgement judge(String prompt, String response);

    /** Every word the task can emit (used to build the tokenizer vocabulary). */
    List<String> vocabulary();
}
