package dev.reward4j.trainers.eval;

import dev.reward4j.core.data.Message;
import dev.reward4j.core.util.Checks;

/**
 * One chat turn of a benchmark prompt (the benchmark-side twin of {@link Message}, kept so scorers
 * written against the eval API stay source-compatible).
 *
 * @param role {@code user}, {@code assistant} or {@code system}
 * @param content the text
 */
public record Turn(String role, String content) {
    /** Validates non-null fields. */
    public Turn {
        Checks.argument(role != null && content != null, "turn: role and content must not be null");
    }

    /** A user turn. */
    public static Turn user(String content) {
        return new Turn("user", content);
    }

    /** As a core {@link Message} (for the chat template). */
    public Message toMessage() {
        return new Message(role, content);
    }
}
