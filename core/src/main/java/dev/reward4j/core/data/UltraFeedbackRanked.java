package dev.reward4j.core.data;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Raw UltraFeedback rows ({@code openbmb/UltraFeedback}): an {@code instruction} and (usually 4)
 * rated {@code completions}, read as one {@link RankedList} per row. A completion whose score is
 * JSON null (the dataset has such {@code fine-grained_score}s) is dropped from its row and counted
 * ({@code DataCounters.completionsDroppedCount()}); rows with fewer than 2 scored completions are
 * skipped (counted).
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

    /**
     * Parses one row; null (and counted as skipped) when fewer than 2 completions have a score.
     * Completions with a null score are dropped (counted); a missing score field or a non-number is
     * an error.
     */
    static RankedList parse(Row row, UltraFeedbackScore score) {
        Text prompt = row.text("instruction");
        JsonNode completions = row.array("completions", 0);
        List<Text> responses = new ArrayList<>();
        List<Double> scores = new ArrayList<>();
        for (int i = 0; i < completions.size(); i++) {
            String f = "completions[" + i + "]";
            JsonNode c = completions.get(i);
            JsonNode resp = c.get("response");
            if (resp == null || !resp.isTextual()) {
                throw row.error(f + ".response", "has type " + Row.type(resp), "a string");
            }
            JsonNode s = c.get(score.field());
            if (s != null && s.isNull()) {
                row.completionDropped(f + "." + score.field() + " is null");
                continue;
            }
            if (s == null || !(s.isNumber() || s.isTextual())) {
                throw row.error(f + "." + score.field(), "has type " + Row.type(s), "a number");
            }
            double v;
            try {
                v = s.isNumber() ? s.asDouble() : Double.parseDouble(s.asText());
            } catch (NumberFormatException e) {
                throw row.error(
                        f + "." + score.field(),
                        "is \"" + Row.abbreviate(s.asText()) + "\"",
                        "a number");
            }
            if (!Double.isFinite(v)) {
                throw row.error(f + "." + score.field(), "is " + v, "a finite number");
            }
            responses.add(new PlainText(resp.asText()));
            scores.add(v);
        }
        if (scores.size() < 2) {
            row.skip(
                    "UltraFeedback row with "
                            + scores.size()
                            + " scored completion(s) of "
                            + completions.size()
                            + "; a ranking needs >= 2");
            return null;
        }
        return new RankedList(
                row.id("id"),
                prompt,
                responses,
                scores.stream().mapToDouble(Double::doubleValue).toArray(),
                row.source());
    }
}
