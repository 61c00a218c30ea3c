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
}
