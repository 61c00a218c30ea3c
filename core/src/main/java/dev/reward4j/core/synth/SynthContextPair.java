package dev.reward4j.core.synth;

import dev.reward4j.core.data.PlainText;
import dev.reward4j.core.data.PreferencePair;
import dev.reward4j.core.data.Source;

/**
 * A pair whose preference is set by a stated context, with its flip partner.
 *
 * @param id stable id ({@code synth-<split>-context-<index>})
 * @param flipGroup id shared by the two pairs of a context-flip couple (same prompt and responses,
 *     opposite contexts, opposite preference)
 * @param context the criterion the preference holds under ({@code "prefer formal tone ."})
 * @param prompt prompt text
 * @param chosen the response that satisfies the context
 * @param rejected the response that does not
 * @param source {@code <synth:context:SPLIT>} and the example index
 */
public record SynthContextPair(
        String id,
        String flipGroup,
        String context,
        String prompt,
        String chosen,
        String rejected,
        Source source) {
    /** As a core-data pair carrying the context (rendered into the prompt at tokenization). */
    public PreferencePair toPreferencePair() {
        return PreferencePair.of(
                        id,
                        new PlainText(prompt),
                        new PlainText(chosen),
                        new PlainText(rejected),
                        source)
                .withContext(new PlainText(context));
    }

    /** As a pair without context (what a context-blind reward model is trained on). */
    public PreferencePair toContextBlindPair() {
        return PreferencePair.of(
                id, new PlainText(prompt), new PlainText(chosen), new PlainText(rejected), source);
    }
}
