package dev.reward4j.core.data;

import java.util.Objects;
import java.util.OptionalDouble;

/**
 * A pairwise preference: {@code chosen} is preferred over {@code rejected} for {@code prompt}.
 *
 * @param id example id (from the file, or {@code file:line} when the file has none)
 * @param prompt the shared prompt (plain text or conversation; may be empty)
 * @param chosen the preferred response
 * @param rejected the dispreferred response
 * @param margin optional margin; also carries the HelpSteer2-Preference strength (1..3, always
 *     positive here)
 * @param weight example weight, default 1, finite and {@code >= 0}
 * @param source where the example came from
 */
public record PreferencePair(
        String id,
        Text prompt,
        Text chosen,
        Text rejected,
        OptionalDouble margin,
        double weight,
        Source source) {
    /** Validates the fields. */
    public PreferencePair {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(chosen, "chosen");
        Objects.requireNonNull(rejected, "rejected");
        Objects.requireNonNull(margin, "margin");
        Objects.requireNonNull(source, "source");
        if (!(Double.isFinite(weight) && weight >= 0)) {
            throw new IllegalArgumentException(
                    "PreferencePair: weight ("
                            + weight
                            + ") at "
                            + source
                            + "; expected a finite value >= 0");
        }
        if (margin.isPresent() && !Double.isFinite(margin.getAsDouble())) {
            throw new IllegalArgumentException(
                    "PreferencePair: margin ("
                            + margin.getAsDouble()
                            + ") at "
                            + source
                            + "; expected a finite value");
        }
    }

    /** A pair with no margin and weight 1. */
    public static PreferencePair of(
            String id, Text prompt, Text chosen, Text rejected, Source source) {
        return new PreferencePair(
                id, prompt, chosen, rejected, OptionalDouble.empty(), 1.0, source);
    }
}
