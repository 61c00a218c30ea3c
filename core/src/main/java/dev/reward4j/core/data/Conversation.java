package dev.reward4j.core.data;

import java.util.List;
import java.util.Objects;

/**
 * A list of chat messages (system messages allowed). @param messages the messages, copied into an
 * immutable list
 */
public record Conversation(List<Message> messages) implements Text {
    /** Copies the list. */
    public Conversation {
        messages = List.copyOf(Objects.requireNonNull(messages, "messages"));
    }

    /** Convenience factory. */
    public static Conversation of(Message... messages) {
        return new Conversation(List.of(messages));
    }

    @Override
    public boolean isEmpty() {
        return messages.stream().allMatch(m -> m.content().isEmpty());
    }
}
