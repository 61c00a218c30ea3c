package dev.reward4j.core.data;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * A tokenized {@link PreferencePair}; chosen and rejected share the same (identically truncated)
 * prompt tokens.
 *
 * @param id example id
 * @param chosen chosen sequence
 * @param rejected rejected sequence
 * @param margin optional margin / strength
 * @param weight example weight
 * @param source where the example came from
 * @param userId the pair's user id, when the data has one
 */
public record TokenizedPair(
        String id,
        TokenizedSequence chosen,
        TokenizedSequence rejected,
        OptionalDouble margin,
        double weight,
        Source source,
        Optional<String> userId) {
    /** Validates the fields. */
    public TokenizedPair {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(chosen, "chosen");
        Objects.requireNonNull(rejected, "rejected");
        Objects.requireNonNull(margin, "margin");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(userId, "userId");
    }

    /**
     * A pair without user id.
     *
     * @param id example id
     * @param chosen chosen sequence
     * @param rejected rejected sequence
     * @param margin optional margin / strength
     * @param weight example weight
     * @param source where the example came from
     */
    public TokenizedPair(
            String id,
            TokenizedSequence chosen,
            TokenizedSequence rejected,
            OptionalDouble margin,
            double weight,
            Source source) {
        this(id, chosen, rejected, margin, weight, source, Optional.empty());
    }

    /** Tokens in both sequences. */
    public int tokens() {
        return chosen.length() + rejected.length();
    }
}
