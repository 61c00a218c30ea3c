package dev.reward4j.core.data;

import java.util.Objects;

/**
 * A preference triple \( (x, y_{gold}, y_w, y_l) \) for Triple Preference Optimization (arXiv
 * 2405.16681): a gold (reference-quality) response, a preferred and a rejected response to one
 * prompt.
 *
 * @param id example id
 * @param prompt the shared prompt
 * @param gold \( y_{gold} \), cloned by the NLL term
 * @param chosen \( y_w \)
 * @param rejected \( y_l \)
 * @param weight example weight, finite and {@code >= 0}
 * @param source where the example came from
 */
public record PreferenceTriple(
        String id,
        Text prompt,
        Text gold,
        Text chosen,
        Text rejected,
        double weight,
        Source source) {
    /** Validates the fields. */
    public PreferenceTriple {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(gold, "gold");
        Objects.requireNonNull(chosen, "chosen");
        Objects.requireNonNull(rejected, "rejected");
        Objects.requireNonNull(source, "source");
        if (!(Double.isFinite(weight) && weight >= 0)) {
            throw new IllegalArgumentException(
                    "PreferenceTriple: weight ("
                            + weight
                            + ") at "
                            + source
                            + "; expected a finite value >= 0");
        }
    }
}
