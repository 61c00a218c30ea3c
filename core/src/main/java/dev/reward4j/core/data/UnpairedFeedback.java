package dev.reward4j.core.data;

import java.util.Objects;

/**
 * A single completion labelled desirable or undesirable (KTO / BCO style).
 *
 * @param id example id
 * @param prompt the prompt
 * @param completion the completion
 * @param desirable true for a thumbs-up
 * @param source where the example came from
 */
public record UnpairedFeedback(
        String id, Text prompt, Text completion, boolean desirable, Source source) {
    /** Validates the fields. */
    public UnpairedFeedback {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(completion, "completion");
        Objects.requireNonNull(source, "source");
    }
}
