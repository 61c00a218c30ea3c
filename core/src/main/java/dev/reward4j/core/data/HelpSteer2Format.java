package dev.reward4j.core.data;

import java.util.List;
import java.util.function.Consumer;

/**
 * {@code nvidia/HelpSteer2} pointwise rows: a prompt, a response and attribute ratings 0..4. A
 * missing or null attribute is allowed (present = false).
 *
 * <pre>
 * {"prompt": "Explain rain.", "response": "Water vapour condenses...", "helpfulness": 3, "correctness": 3,
 *  "coherence": 4, "complexity": 2, "verbosity": 1}</pre>
 *
 * @param attributes attribute field names, in target order
 */
public record HelpSteer2Format(List<String> attributes) implements Format<RatedResponse> {
    /** Copies the list. */
    public HelpSteer2Format {
        attributes = List.copyOf(attributes);
        if (attributes.isEmpty()) {
            throw new IllegalArgumentException(
                    "HelpSteer2Format: no attributes; expected >= 1 attribute name");
        }
    }

    /** helpfulness, correctness, coherence, complexity, verbosity. */
    public static HelpSteer2Format defaults() {
        return new HelpSteer2Format(
                List.of("helpfulness", "correctness", "coherence", "complexity", "verbosity"));
    }

    @Override
    public void read(Row row, Consumer<? super RatedResponse> out) {
        double[] ratings = new double[attributes.size()];
        boolean[] present = new boolean[attributes.size()];
        for (int i = 0; i < ratings.length; i++) {
            var v = row.optNumber(attributes.get(i));
            if (v.isPresent()) {
                ratings[i] = v.getAsDouble();
                present[i] = true;
            }
        }
        out.accept(
                new RatedResponse(
                        row.id("id"),
                        row.text("prompt"),
                        row.text("response"),
                        attributes,
                        ratings,
                        present,
                        row.source()));
    }
}
