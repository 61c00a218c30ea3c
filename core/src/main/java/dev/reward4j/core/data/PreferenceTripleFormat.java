package dev.reward4j.core.data;

import java.util.Objects;
import java.util.function.Consumer;

/**
 * JSONL rows of preference triples: {@code {"prompt": ..., "reference": ..., "chosen": ...,
 * "rejected": ...}} (the field names of the TPO authors' data: {@code reference} is the gold
 * response); {@code id} and {@code weight} optional. Errors name file, line and field.
 *
 * @param goldField field of the gold response, default {@code reference}
 */
public record PreferenceTripleFormat(String goldField) implements Format<PreferenceTriple> {
    /** Validates the field name. */
    public PreferenceTripleFormat {
        Objects.requireNonNull(goldField, "goldField");
    }

    /**
     * Gold response in {@code reference}.
     *
     * @return the standard format
     */
    public static PreferenceTripleFormat standard() {
        return new PreferenceTripleFormat("reference");
    }

    @Override
    public void read(Row row, Consumer<? super PreferenceTriple> out) {
        double weight = row.optNumber("weight").orElse(1.0);
        if (weight < 0) {
            throw row.error("weight", "is " + weight, "a weight >= 0");
        }
        out.accept(
                new PreferenceTriple(
                        row.id("id"),
                        row.text("prompt"),
                        row.text(goldField),
                        row.text("chosen"),
                        row.text("rejected"),
                        weight,
                        row.source()));
    }
}
