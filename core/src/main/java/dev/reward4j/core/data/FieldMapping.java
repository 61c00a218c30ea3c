package dev.reward4j.core.data;

import java.util.Objects;

/**
 * Which fields of a custom schema hold the parts of a preference pair. Names may be dotted paths
 * ({@code "meta.score"}). The defaults are TRL's names.
 *
 * @param id id field (optional in rows; {@code file:line} is used when absent)
 * @param prompt prompt field (optional in rows: without it the prompt is the common prefix of
 *     chosen and rejected)
 * @param chosen chosen field (required)
 * @param rejected rejected field (required)
 * @param margin margin field (optional in rows)
 * @param weight weight field (optional in rows; default 1)
 */
public record FieldMapping(
        String id, String prompt, String chosen, String rejected, String margin, String weight) {
    /** Validates the names. */
    public FieldMapping {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(chosen, "chosen");
        Objects.requireNonNull(rejected, "rejected");
        Objects.requireNonNull(margin, "margin");
        Objects.requireNonNull(weight, "weight");
    }

    /** TRL names: id, prompt, chosen, rejected, margin, weight. */
    public static FieldMapping defaults() {
        return new FieldMapping("id", "prompt", "chosen", "rejected", "margin", "weight");
    }

    /** With another id field. */
    public FieldMapping withId(String f) {
        return new FieldMapping(f, prompt, chosen, rejected, margin, weight);
    }

    /** With another prompt field. */
    public FieldMapping withPrompt(String f) {
        return new FieldMapping(id, f, chosen, rejected, margin, weight);
    }

    /** With another chosen field. */
    public FieldMapping withChosen(String f) {
        return new FieldMapping(id, prompt, f, rejected, margin, weight);
    }

    /** With another rejected field. */
    public FieldMapping withRejected(String f) {
        return new FieldMapping(id, prompt, chosen, f, margin, weight);
    }

    /** With another margin field. */
    public FieldMapping withMargin(String f) {
        return new FieldMapping(id, prompt, chosen, rejected, f, weight);
    }

    /** With another weight field. */
    public FieldMapping withWeight(String f) {
        return new FieldMapping(id, prompt, chosen, rejected, margin, f);
    }
}
