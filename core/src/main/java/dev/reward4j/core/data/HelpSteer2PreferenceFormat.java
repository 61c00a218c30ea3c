package dev.reward4j.core.data;

import java.util.OptionalDouble;
import java.util.function.Consumer;

/**
 * HelpSteer2-Preference rows: {@code response_1}, {@code response_2} and {@code
 * preference_strength} in -3..3 (negative: response 1 is better; positive: response 2 is better;
 * |s| = 1 slightly, 2 better, 3 much better). The better one is chosen and the margin carries |s|.
 * Strength 0 (a tie) is skipped and counted.
 *
 * <pre>
 * {"prompt": "Write a haiku.", "response_1": "...", "response_2": "...", "preference_strength": -2}
 * </pre>
 */
public record HelpSteer2PreferenceFormat() implements Format<PreferencePair> {
    @Override
    public void read(Row row, Consumer<? super PreferencePair> out) {
        Text prompt = row.text("prompt");
        Text r1 = row.text("response_1");
        Text r2 = row.text("response_2");
        double s = row.number("preference_strength");
        if (s != Math.rint(s) || s < -3 || s > 3) {
            throw row.error("preference_strength", "is " + s, "an integer in -3..3");
        }
        if (s == 0) {
            row.skip("tie (preference_strength 0)");
            return;
        }
        boolean firstBetter = s < 0;
        out.accept(
                new PreferencePair(
                        row.id("id"),
                        prompt,
                        firstBetter ? r1 : r2,
                        firstBetter ? r2 : r1,
                        OptionalDouble.of(Math.abs(s)),
                        1.0,
                        row.source()));
    }
}
