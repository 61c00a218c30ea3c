package dev.reward4j.trainers;

import dev.reward4j.core.data.Conversation;
import dev.reward4j.core.data.Message;
import dev.reward4j.core.data.PlainText;
import dev.reward4j.core.data.Text;
import java.util.List;
import java.util.Objects;

/**
 * One (prompt, response) to score, in the forms the training data has: plain text stays plain
 * (encoded as {@code prompt + response}, EOS appended under the default policy), conversations are
 * rendered with the tokenizer's chat template; a plain prompt before a conversation response
 * becomes one user message. Exactly the rules of training ({@code TextEncoder.renderPrompt}).
 *
 * @param prompt the prompt
 * @param response the response
 */
public record ScoreInput(Text prompt, Text response) {
    /** Requires both texts. */
    public ScoreInput {
        Objects.requireNonNull(prompt, "score input: prompt");
        Objects.requireNonNull(response, "score input: response");
    }

    /** Plain text, as a TRL standard row ({@code {"prompt": "...", "chosen": "..."}}). */
    public static ScoreInput of(String prompt, String response) {
        return new ScoreInput(new PlainText(prompt), new PlainText(response));
    }

    /**
     * A conversation, as a TRL conversational row: prompt messages, then the response as one
     * assistant message ({@code {"prompt": [...], "chosen": [{"role": "assistant", ...}]}}).
     */
    public static ScoreInput conversation(List<Message> prompt, String response) {
        return new ScoreInput(
                new Conversation(prompt), new Conversation(List.of(Message.assistant(response))));
    }
}
