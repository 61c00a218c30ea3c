package dev.reward4j.core.data;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * RewardBench v2 rows ({@code allenai/reward-bench-2}): {@code chosen} and {@code rejected} are
 * lists of completions, {@code num_correct} the number of correct ones (optional; defaults to the
 * size of {@code chosen}), {@code subset} and {@code id} ({@code ref:N} / {@code tied:N} in Ties).
 * Completions become assistant messages after a user prompt.
 *
 * <pre>
 * {"id": "12", "subset": "Factuality", "prompt": "...", "chosen": ["..."], "rejected": ["...", "...", "..."],
 *  "num_correct": 1, "total_completions": 4}</pre>
 */
public record RewardBenchV2Format() implements Format<EvalBestOfN> {
    @Override
    public void read(Row row, Consumer<? super EvalBestOfN> out) {
        List<Text> chosen = completions(row, "chosen");
        List<Text> rejected = completions(row, "rejected");
        int numCorrect = row.has("num_correct") ? (int) row.number("num_correct") : chosen.size();
        if (numCorrect != chosen.size()) {
            throw row.error(
                    "num_correct",
                    "is " + numCorrect + " but 'chosen' has " + chosen.size(),
                    "equal counts");
        }
        out.accept(
                new EvalBestOfN(
                        row.id("id"),
                        row.string("subset"),
                        asUser(row.text("prompt")),
                        chosen,
                        rejected,
                        numCorrect,
                        row.source()));
    }

    private static List<Text> completions(Row row, String field) {
        JsonNode arr = row.array(field, 1);
        List<Text> out = new ArrayList<>(arr.size());
        for (int i = 0; i < arr.size(); i++) {
            JsonNode n = arr.get(i);
            if (!n.isTextual()) {
                throw row.error(
                        field + "[" + i + "]", "has type " + Row.type(n), "a string completion");
            }
            out.add(Conversation.of(new Message("assistant", n.asText())));
        }
        return out;
    }

    static Text asUser(Text prompt) {
        return prompt instanceof PlainText p
                ? Conversation.of(new Message("user", p.text()))
                : prompt;
    }

    static Text asAssistant(Text completion) {
        return completion instanceof PlainText p
                ? Conversation.of(new Message("assistant", p.text()))
                : completion;
    }
}
