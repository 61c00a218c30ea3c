package dev.reward4j.trainers.config;

/**
 * The keys of objective {@code prm}: a process reward model trained with per-step binary
 * cross-entropy at the end of each step ({@code data.format: stepwise}).
 *
 * @param separator text appended to every step; the score is read at its last token (TRL's default
 *     is a newline, which some tokenizers' pre-tokenizers drop: use a tag then)
 */
public record ProcessRewardParams(String separator) {
    /** Requires a non-empty separator. */
    public ProcessRewardParams {
        if (separator == null || separator.isEmpty()) {
            throw new IllegalArgumentException(
                    "separator: expected the text that ends every step (got nothing)");
        }
    }

    /** A newline, as TRL's {@code step_separator}. */
    public static ProcessRewardParams defaults() {
        return new ProcessRewardParams("\n");
    }
}
