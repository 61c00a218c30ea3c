package dev.reward4j.core.data;

import java.util.Objects;

/**
 * A tokenized {@link UnpairedFeedback}. The prompt and completion ids are kept apart so the
 * collator can build the KTO KL rows (completion i after prompt i+1).
 *
 * @param id example id
 * @param sequence prompt + completion tokens; {@code sequence.promptLength()} splits them
 * @param desirable label
 * @param source where the example came from
 */
public record TokenizedUnpaired(
        String id, TokenizedSequence sequence, boolean desirable, Source source) {
    /** Validates the fields. */
    public TokenizedUnpaired {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(sequence, "sequence");
        Objects.requireNonNull(source, "source");
    }
}
