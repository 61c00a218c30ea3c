package dev.reward4j.trainers.corpus;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reward4j.core.data.Conversation;
import dev.reward4j.core.data.Format;
import dev.reward4j.core.data.Message;
import dev.reward4j.core.data.Row;
import dev.reward4j.core.data.Text;
import java.util.List;
import java.util.function.Consumer;

/**
 * Rows to score: {@code prompt} (a string or a list of {@code {"role", "content"}} messages) and
 * {@code response} (or {@code completion}; a string or messages), or one {@code messages}
 * conversation whose last message is the assistant's response; {@code id} optional. The texts are
 * kept as read, as {@code reward4j score} reads them (a string response after a conversation prompt
 * is rendered as the assistant's message, with EOS appended as to any plain-text response).
 *
 * <pre>{"id": "a1", "prompt": "What is 2+2?", "response": " 4."}
 * {"prompt": [{"role": "user", "content": "Hi"}], "response": "Hello!"}
 * {"messages": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello!"}]}
 * </pre>
 */
public final class ScoreRowFormat implements Format<ScoreRow> {
    @Override
    public void read(Row row, Consumer<? super ScoreRow> out) {
        Text prompt;
        Text response;
        if (!row.has("prompt") && row.has("messages")) {
            JsonNode n = row.array("messages", 2);
            List<Message> all = row.messages("messages", n);
            Message last = all.get(all.size() - 1);
            if (!last.role().equals("assistant")) {
                throw row.error(
                        "messages[" + (all.size() - 1) + "].role",
                        "is '" + last.role() + "'",
                        "the response as the last message, role 'assistant'");
            }
            prompt = new Conversation(all.subList(0, all.size() - 1));
            response = new Conversation(List.of(last));
        } else {
            prompt = row.text("prompt");
            String field =
                    row.has("response") || !row.has("completion") ? "response" : "completion";
            response = row.text(field);
        }
        out.accept(new ScoreRow(row.id("id"), prompt, response, row.source()));
    }
}
