package dev.reward4j.core.data;

import java.util.Objects;

/**
 * A tokenized {@link RatedResponse}.
 *
 * @param id example id
 * @param sequence prompt + response tokens
 * @param ratings A targets (not copied: treat as read-only)
 * @param present A presence flags (not copied: treat as read-only)
 * @param source where the example came from
 */
public record TokenizedRated(
        String id, TokenizedSequence sequence, double[] ratings, boolean[] present, Source source) {
    /** Validates the fields. */
    public TokenizedRated {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(sequence, "sequence");
        Objects.requireNonNull(source, "source");
        if (ratings.length != present.length) {
            throw new IllegalArgumentException(
                    "TokenizedRated: "
                            + ratings.length
                            + " ratings but "
                            + present.length
                            + " presence flags at "
                            + source);
        }
    }
}
