package dev.reward4j.core.data;

import java.util.Objects;

/**
 * One chat message with a role ({@code system}, {@code user}, {@code assistant}, ...) and its text
 * content.
 *
 * @param role message role, as the chat template expects it
 * @param content message text (may be empty, never null)
 */
public record Message(String role, String content) {
    /** Validates the fields. */
    public Message {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(content, "content");
    }

    /**
     * A user message.
     *
     * @param content the text
     * @return {@code user: content}
     */
    public static Message user(String content) {
        return new Message("user", content);
    }

    /**
     * An assistant message.
     *
     * @param content the text
     * @return {@code assistant: content}
     */
    public static Message assistant(String content) {
        return new Message("assistant", content);
    }
}
