package dev.reward4j.trainers;

import java.util.Map;
import java.util.OptionalDouble;

/**
 * What a reward model gives for one response, read as its {@link
 * dev.reward4j.core.heads.HeadLayout} says ({@link RewardScorer#scoreResponses}).
 *
 * <p>{@code reward} is empty for a model without a scalar reward (a general preference model, or a
 * PAL-A model asked about a response without a known user). {@code outputs} holds the model's other
 * outputs by name (values are {@code double[]}, {@code Integer} or {@code String}):
 *
 * <ul>
 *   <li>plain model with several columns: {@code rewards} (every column);
 *   <li>{@code ensemble-heads}: {@code rewards} (members), {@code uncertainty} (member standard
 *       deviation); the reward is the aggregate;
 *   <li>{@code mixture}: {@code rewards} (heads), {@code weights} (the prompt router's softmax);
 *       the reward is \( \sum_k w_k r_k \);
 *   <li>{@code maxmin}: {@code rewards} (cluster heads) and {@code cluster} (the user's cluster);
 *       the reward is the user's cluster head, or for a user without a cluster the smallest head
 *       (MaxMin's egalitarian reward, {@code cluster} then absent);
 *   <li>{@code pal}: {@code embedding}; with a known user the reward \( -\lVert f -
 *       a_u\rVert^2/\tau \);
 *   <li>{@code gpm}: {@code embedding} (unit length) and, gated, {@code gate_logits} of the prompt;
 *       no reward (pairs get a probability, {@link RewardScorer#preferenceProbability});
 *   <li>{@code genarm}: none; the reward is \( \beta_r \sum_t \log\pi_r(y_t \mid x, y_{&lt;t}) \).
 * </ul>
 *
 * @param reward the scalar reward, if the model has one for this response
 * @param outputs the other outputs by name (insertion order)
 */
public record ScoredResponse(OptionalDouble reward, Map<String, Object> outputs) {
    /** Copies the outputs (unmodifiable, order kept). */
    public ScoredResponse {
        outputs = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(outputs));
    }

    /** The {@code double[]} output {@code name}. */
    double[] vector(String name) {
        return (double[]) outputs.get(name);
    }
}
