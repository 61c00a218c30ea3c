package dev.reward4j.core.data;

/**
 * A prompt or a response: either plain text or a conversation of role/content messages (rendered
 * through the tokenizer's chat template when encoded).
 */
public sealed interface Text permits PlainText, Conversation {
    /** True when there is nothing to encode (empty string, or no message with content). */
    boolean isEmpty();
}
