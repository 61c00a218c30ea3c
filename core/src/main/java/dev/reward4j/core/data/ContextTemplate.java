package dev.reward4j.core.data;

import dev.reward4j.core.util.Checks;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * How the {@link PreferencePair#context()} of a pair (a system message or a stated criterion) is
 * rendered into its prompt before tokenization, so that a context-conditioned reward model sees it.
 *
 * <ul>
 *   <li>{@link SystemMessage}: the prompt becomes a conversation whose first message is {@code
 *       system: context} (a plain prompt becomes the user message); the tokenizer's chat template
 *       renders it. An existing leading system message gets the context prepended, separated by a
 *       blank line.
 *   <li>{@link Format}: a plain-text prompt is replaced by the format with {@code {context}} and
 *       {@code {prompt}} substituted; a conversation prompt is treated as by {@link SystemMessage}.
 * </ul>
 *
 * <p>A conversation context is flattened to its message contents joined by newlines. A pair without
 * context is returned unchanged.
 */
public sealed interface ContextTemplate
        permits ContextTemplate.SystemMessage, ContextTemplate.Format {

    /**
     * The default: {@code Format("{context}\n{prompt}")} (plain prompts), system message for
     * conversations.
     *
     * @return the template
     */
    static ContextTemplate defaults() {
        return new Format("{context}\n{prompt}");
    }

    /**
     * Renders the pair's context into its prompt.
     *
     * @param pair a pair, with or without context
     * @return the pair with the context rendered into the prompt and no context left
     */
    default PreferencePair apply(PreferencePair pair) {
        if (pair.context().isEmpty()) {
            return pair;
        }
        String context = flatten(pair.context().get());
        return pair.withRenderedPrompt(render(context, pair.prompt()));
    }

    /**
     * The prompt with {@code context} rendered in.
     *
     * @param context the context text
     * @param prompt the prompt
     * @return the rendered prompt
     */
    Text render(String context, Text prompt);

    /** Context as a system message of the conversation (the chat template renders it). */
    record SystemMessage() implements ContextTemplate {
        @Override
        public Text render(String context, Text prompt) {
            return withSystem(context, prompt);
        }
    }

    /**
     * Context substituted into a text format for plain prompts; system message for conversations.
     *
     * @param format text with the placeholders {@code {context}} and {@code {prompt}} (each at most
     *     once; {@code {context}} required)
     */
    record Format(String format) implements ContextTemplate {
        /** Validates the format. */
        public Format {
            Checks.argument(
                    format != null && format.contains("{context}"),
                    () ->
                            "ContextTemplate.Format: format ("
                                    + format
                                    + ") has no {context} placeholder; expected e.g."
                                    + " \"{context}\\n{prompt}\"");
        }

        @Override
        public Text render(String context, Text prompt) {
            if (prompt instanceof PlainText p) {
                return new PlainText(
                        format.replace("{prompt}", p.text()).replace("{context}", context));
            }
            return withSystem(context, prompt);
        }
    }

    private static Text withSystem(String context, Text prompt) {
        List<Message> messages = new ArrayList<>();
        if (prompt instanceof Conversation c) {
            messages.addAll(c.messages());
        } else if (!((PlainText) prompt).text().isEmpty()) {
            messages.add(new Message("user", ((PlainText) prompt).text()));
        }
        if (!messages.isEmpty() && messages.get(0).role().equals("system")) {
            messages.set(0, new Message("system", context + "\n\n" + messages.get(0).content()));
        } else {
            messages.add(0, new Message("system", context));
        }
        return new Conversation(messages);
    }

    private static String flatten(Text context) {
        if (context instanceof PlainText p) {
            return p.text();
        }
        return ((Conversation) context)
                .messages().stream().map(Message::content).collect(Collectors.joining("\n"));
    }
}
