package dev.reward4j.core.data;

import java.util.List;
import java.util.Objects;

/**
 * A tokenized {@link RankedList}.
 *
 * @param id example id
 * @param items K sequences
 * @param scores K scores, higher = better (not copied: treat as read-only)
 * @param source where the example came from
 */
public record TokenizedList(
        String id, List<TokenizedSequence> items, double[] scores, Source source) {
    /** Validates the fields. */
    public TokenizedList {
        Objects.requireNonNull(id, "id");
        items = List.copyOf(items);
        Objects.requireNonNull(source, "source");
        if (items.size() != scores.length) {
            throw new IllegalArgumentException(
                    "TokenizedList: "
                            + items.size()
                            + " items but "
                            + scores.length
                            + " scores at "
                            + source);
        }
    }

    /** Tokens over all items. */
    public int tokens() {
        return items.stream().mapToInt(TokenizedSequence::length).sum();
    }
}
