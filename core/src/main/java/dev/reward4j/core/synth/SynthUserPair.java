package dev.reward4j.core.synth;

import dev.reward4j.core.data.PlainText;
import dev.reward4j.core.data.PreferencePair;
import dev.reward4j.core.data.Source;

/**
 * A labelled pair of one user of a population with its ground truth.
 *
 * @param id stable id ({@code synth-<split>-user-<user>-<index>})
 * @param userId the annotating user ({@code user-NN})
 * @param group the user's true preference group
 * @param conflict true when the groups disagree on this pair (it differs only in the contested
 *     attribute), false when every user agrees
 * @param prompt prompt text
 * @param chosen the response the user prefers
 * @param rejected the other response
 * @param source {@code <synth:population:SPLIT>} and the example index
 */
public record SynthUserPair(
        String id,
        String userId,
        int group,
        boolean conflict,
        String prompt,
        String chosen,
        String rejected,
        Source source) {
    /** As a core-data pair carrying the user id. */
    public PreferencePair toPreferencePair() {
        return PreferencePair.of(
                        id,
                        new PlainText(prompt),
                        new PlainText(chosen),
                        new PlainText(rejected),
                        source)
                .withUserId(userId);
    }
}
