package dev.reward4j.core.synth;

import dev.reward4j.core.data.PlainText;
import dev.reward4j.core.data.Source;
import dev.reward4j.core.data.UnpairedFeedback;

/**
 * A single completion with a binary desirable/undesirable label and its ground truth.
 *
 * @param id stable id
 * @param task task name
 * @param prompt prompt text
 * @param completion completion text
 * @param desirable the label
 * @param reward ground-truth reward
 * @param desirableProbability probability (under the label model) of the label being {@code
 *     desirable}
 * @param source {@code <synth:unpaired:SPLIT>} and the example index
 */
public record SynthUnpaired(
        String id,
        String task,
        String prompt,
        String completion,
        boolean desirable,
        double reward,
        double desirableProbability,
        Source source) {
    /** As core-data unpaired feedback. */
    public UnpairedFeedback toUnpairedFeedback() {
        return new UnpairedFeedback(
                id, new PlainText(prompt), new PlainText(completion), desirable, source);
    }
}
