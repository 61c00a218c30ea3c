package dev.reward4j.trainers.corpus;

import dev.reward4j.core.data.Source;
import java.util.Objects;

/**
 * One scored row.
 *
 * @param id the row's id ({@code file:line} when it has none)
 * @param source where the row came from
 * @param prompt the prompt as a JSON value (a string, or a list of messages)
 * @param response the response as a JSON value
 * @param rewards every output of the reward model (K = its {@code num_labels}; 1 for a scalar
 *     reward model)
 */
public record ScoredRow(
        String id, Source source, String prompt, String response, double[] rewards) {
    /** Requires every field and at least one reward. */
    public ScoredRow {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(response, "response");
        if (rewards.length == 0) {
            throw new IllegalArgumentException("ScoredRow " + source + ": no reward");
        }
        rewards = rewards.clone();
    }

    /** The reward: output 0. */
    public double reward() {
        return rewards[0];
    }

    @Override
    public double[] rewards() {
        return rewards.clone();
    }
}
