package dev.reward4j.core.synth;

import dev.reward4j.core.data.PlainText;
import dev.reward4j.core.data.PreferencePair;
import dev.reward4j.core.data.Source;

/**
 * A labelled pair with its ground truth.
 *
 * @param id stable id ({@code synth-<split>-pair-<index>})
 * @param task task name
 * @param prompt prompt text
 * @param chosen the response the label prefers
 * @param rejected the other response
 * @param chosenReward ground-truth reward of {@code chosen}
 * @param rejectedReward ground-truth reward of {@code rejected}
 * @param preferenceProbability probability (under the label model) that {@code chosen} is
 *     preferred; the Bayes accuracy on this pair is {@code max(p, 1 - p)}
 * @param source {@code <synth:pair:SPLIT>} and the example index
 */
public record SynthPair(
        String id,
        String task,
        String prompt,
        String chosen,
        String rejected,
        double chosenReward,
        double rejectedReward,
        double preferenceProbability,
        Source source) {
    /** As a core-data pair (plain-text prompt and responses, no margin, weight 1). */
    public PreferencePair toPreferencePair() {
        return PreferencePair.of(
                id, new PlainText(prompt), new PlainText(chosen), new PlainText(rejected), source);
    }
}
