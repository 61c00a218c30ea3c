package dev.reward4j.core.data;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Raw UltraFeedback rows ({@code openbmb/UltraFeedback}): an {@code instruction} and (usually 4)
 * rated {@code completions}, read as one {@link RankedList} per row. Rows with fewer than 2
 * completions are skipped (counted).
 *
 * <pre>{"source": "evol_instruct", "instruction": "Name a prime.", "models": ["a", "b"],
 *  "completions": [{"model": "a", "response": "7", "fine-grained_score": 4.75, "overall_score": 8.0, ...}, ...]}
 * </pre>
 *
 * @param score which score ranks the completions
 */
public record UltraFeedbackRanked(UltraFeedbackScore score) implements Format<RankedList> {
    /** Ranks by {@code fine-grained_score}. */
    public static UltraFeedbackRanked defaults() {
        return new UltraFeedbackRanked(UltraFeedbackScore.FINE_GRAINED);
    }

    @Override
    public void read(Row row, Consumer<? super RankedList> out) {
        RankedList list = parse(row, score);
        if (list == null) {
            return;
        }
        out.accept(list);
    }

    /** Parses one row; null (and counted as skipped) when it has fewer than 2 completions. */
    static RankedList parse(Row row, UltraFeedbackScore score) {
        Text prompt = row.text("instruction");
        JsonNode completions = row.array("completions", 0);
        if (completions.size() < 2) {
            row.skip(
                    "UltraFeedback row with "
                            + completions.size()
                            + " completion(s); a ranking needs >= 2");
            return null;
        }
        List<Text> responses = new ArrayList<>();
        double[] scores = new double[completions.size()];
        for (int i = 0; i < completions.size(); i++) {
            String f = "completions[" + i + "]";
            JsonNode c = completions.get(i);
            JsonNode resp = c.get("response");
            if (resp == null || !resp.isTextual()) {
                throw row.error(f + ".response", "has type " + Row.type(resp), "a string");
            }
            responses.add(new PlainText(resp.asText()));
            JsonNode s = c.get(score.field());
            if (s == null || !(s.isNumber() || s.isTextual())) {
                throw row.error(f + "." + score.field(), "has type " + Row.type(s), "a number");
            }
            try {
                scores[i] = s.isNumber() ? s.asDouble() : Double.parseDouble(s.asText());
            } catch (NumberFormatException e) {
                throw row.error(
                        f + "." + score.field(),
                        "is \"" + Row.abbreviate(s.asText()) + "\"",
                        "a number");
            }
            if (!Double.isFinite(scores[i])) {
                throw row.error(f + "." + score.field(), "is " + scores[i], "a finite number");
            }
        }
        return new RankedList(row.id("id"), prompt, responses, scores, row.source());
    }
}
