package dev.reward4j.core.synth;

import dev.reward4j.core.data.PlainText;
import dev.reward4j.core.data.PreferencePair;
import dev.reward4j.core.data.Source;

/**
 * A pair of a cyclic (intransitive) preference with its ground truth.
 *
 * @param id stable id ({@code synth-<split>-cyclic-<index>})
 * @param prompt prompt text
 * @param chosen the response naming the winning item
 * @param rejected the response naming the losing item
 * @param chosenItem index of the chosen item in the cycle
 * @param rejectedItem index of the rejected item
 * @param source {@code <synth:cyclic:SPLIT>} and the example index
 */
public record SynthCyclicPair(
        String id,
        String prompt,
        String chosen,
        String rejected,
        int chosenItem,
        int rejectedItem,
        Source source) {
    /** As a core-data pair (plain-text prompt and responses, no margin, weight 1). */
    public PreferencePair toPreferencePair() {
        return PreferencePair.of(
                id, new PlainText(prompt), new PlainText(chosen), new PlainText(rejected), source);
    }
}
