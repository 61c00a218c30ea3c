package dev.reward4j.trainers.corpus;

import dev.reward4j.core.data.Conversation;
import dev.reward4j.core.data.Message;
import dev.reward4j.core.data.PlainText;
import dev.reward4j.core.data.Source;
import dev.reward4j.core.data.Text;
import java.util.Objects;

/**
 * One (prompt, response) to score, read by {@link ScoreRowFormat}.
 *
 * @param id the row's id ({@code file:line} when it has none)
 * @param prompt the prompt (plain text or a conversation)
 * @param response the response (plain text, or one assistant message after a conversation prompt)
 * @param source where the row came from
 */
public record ScoreRow(String id, Text prompt, Text response, Source source) {
    /** Requires every field. */
    public ScoreRow {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(response, "response");
        Objects.requireNonNull(source, "source");
    }

    /**
     * A text as the JSON value a TRL row holds: a JSON string for plain text, a JSON array of
     * {@code {"role", "content"}} messages for a conversation.
     */
    public static String json(Text text) {
        if (text instanceof PlainText p) {
            return Json.quote(p.text());
        }
        StringBuilder b = new StringBuilder("[");
        for (Message m : ((Conversation) text).messages()) {
            if (b.length() > 1) {
                b.append(',');
            }
            b.append("{\"role\":")
                    .append(Json.quote(m.role()))
                    .append(",\"content\":")
                    .append(Json.quote(m.content()))
                    .append('}');
        }
        return b.append(']').toString();
    }
}
