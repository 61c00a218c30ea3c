package dev.reward4j.core.data;

import java.util.Objects;

/**
 * A prompt and one response to be trained on by (weighted) maximum likelihood, e.g. a
 * class-conditioned example of C-RLFT whose weight is its class reward.
 *
 * @param id example id
 * @param prompt the prompt (plain text or conversation)
 * @param response the response the model learns to produce
 * @param weight example weight, finite and {@code >= 0}
 * @param source where the example came from
 */
public record WeightedExample(String id, Text prompt, Text response, double weight, Source source) {
    /** Validates the fields. */
    public WeightedExample {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(response, "response");
        Objects.requireNonNull(source, "source");
        if (!(Double.isFinite(weight) && weight >= 0)) {
            throw new IllegalArgumentException(
                    "WeightedExample: weight ("
                            + weight
                            + ") at "
                            + source
                            + "; expected a finite value >= 0");
        }
    }
}
