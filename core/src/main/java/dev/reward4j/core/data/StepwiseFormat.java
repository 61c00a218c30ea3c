package dev.reward4j.core.data;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Step-annotated rows for process reward models in TRL's stepwise-supervision layout (as the
 * Math-Shepherd and PRM800K conversions on the Hub): {@code prompt} (string or messages), {@code
 * completions} (list of step strings) and {@code labels} (one per step: boolean, or a number in
 * {@code [0, 1]}); optional {@code id}.
 *
 * <pre>
 * {"prompt": "add 3 4 2 .", "completions": ["3 + 4 = 7", "7 + 2 = 10"], "labels": [true, false]}
 * </pre>
 */
public record StepwiseFormat() implements Format<StepwiseExample> {
    @Override
    public void read(Row row, Consumer<? super StepwiseExample> out) {
        JsonNode steps = row.array("completions", 1);
        JsonNode labels = row.array("labels", 1);
        if (steps.size() != labels.size()) {
            throw row.error(
                    "labels",
                    "has " + labels.size() + " entries for " + steps.size() + " completions",
                    "one label per step");
        }
        List<String> texts = new ArrayList<>(steps.size());
        double[] values = new double[labels.size()];
        for (int i = 0; i < steps.size(); i++) {
            JsonNode s = steps.get(i);
            if (!s.isTextual() || s.asText().isEmpty()) {
                throw row.error("completions[" + i + "]", "is " + s, "a non-empty string");
            }
            texts.add(s.asText());
            JsonNode l = labels.get(i);
            if (l.isBoolean()) {
                values[i] = l.asBoolean() ? 1 : 0;
            } else if (l.isNumber() && l.asDouble() >= 0 && l.asDouble() <= 1) {
                values[i] = l.asDouble();
            } else {
                throw row.error("labels[" + i + "]", "is " + l, "a boolean or a number in [0, 1]");
            }
        }
        out.accept(
                new StepwiseExample(row.id("id"), row.text("prompt"), texts, values, row.source()));
    }
}
