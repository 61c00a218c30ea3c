package dev.reward4j.core.data;

import java.util.Objects;

/**
 * A RewardBench v1 evaluation row: one chosen and one rejected completion, scored separately;
 * correct iff {@code score(chosen) > score(rejected)} (ties count as wrong).
 *
 * @param id row id (v1 ids are integers; kept as text)
 * @param subset subset name (e.g. {@code alpacaeval-easy}), used for the section roll-up
 * @param prompt the prompt (a single user turn in RewardBench; a conversation is allowed)
 * @param chosen the correct completion
 * @param rejected the incorrect completion
 * @param source where the row came from
 */
public record EvalPair(
        String id, String subset, Text prompt, Text chosen, Text rejected, Source source) {
    /** Validates the fields. */
    public EvalPair {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(subset, "subset");
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(chosen, "chosen");
        Objects.requireNonNull(rejected, "rejected");
        Objects.requireNonNull(source, "source");
    }

    /**
     * As a {@link PreferencePair} (same id, texts and source), to tokenize and collate it with the
     * training path.
     */
    public PreferencePair toPair() {
        return PreferencePair.of(id, prompt, chosen, rejected, source);
    }
}
