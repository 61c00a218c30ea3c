package dev.reward4j.core.data;

import java.util.Objects;
import java.util.function.Consumer;

/**
 * JSONL rows of joint preferences, one object per line:
 *
 * <pre>{@code
 * {"id": "7", "prompt_chosen": "...", "chosen": "...",
 *  "prompt_rejected": "...", "rejected": "...", "weight": 1.0}
 * }</pre>
 *
 * <p>Prompts and responses are strings or message lists ({@link Text}); {@code id} and {@code
 * weight} are optional. A row that has a single {@code prompt} field instead of the two prompt
 * fields is read as a conditional pair (both prompts equal). A missing or mistyped field is a
 * {@link DataFormatException} naming file, line and field.
 *
 * @param promptChosenField field of \( x_w \), default {@code prompt_chosen}
 * @param promptRejectedField field of \( x_l \), default {@code prompt_rejected}
 */
public record JointPreferenceFormat(String promptChosenField, String promptRejectedField)
        implements Format<JointPreferencePair> {
    /** Validates the field names. */
    public JointPreferenceFormat {
        Objects.requireNonNull(promptChosenField, "promptChosenField");
        Objects.requireNonNull(promptRejectedField, "promptRejectedField");
    }

    /**
     * Fields {@code prompt_chosen}, {@code chosen}, {@code prompt_rejected}, {@code rejected}.
     *
     * @return the standard format
     */
    public static JointPreferenceFormat standard() {
        return new JointPreferenceFormat("prompt_chosen", "prompt_rejected");
    }

    @Override
    public void read(Row row, Consumer<? super JointPreferencePair> out) {
        Text chosen = row.text("chosen");
        Text rejected = row.text("rejected");
        Text pc;
        Text pr;
        if (!row.has(promptChosenField) && !row.has(promptRejectedField) && row.has("prompt")) {
            pc = row.text("prompt");
            pr = pc;
        } else {
            pc = row.text(promptChosenField);
            pr = row.text(promptRejectedField);
        }
        double weight = row.optNumber("weight").orElse(1.0);
        if (weight < 0) {
            throw row.error("weight", "is " + weight, "a weight >= 0");
        }
        out.accept(
                new JointPreferencePair(
                        row.id("id"), pc, chosen, pr, rejected, weight, row.source()));
    }
}
