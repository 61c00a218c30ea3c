package dev.reward4j.trainers.config;

import dev.reward4j.core.heads.MixtureHead;

/**
 * The keys of objective {@code mixture}: a MiCRo-style mixture of {@code heads} Bradley-Terry
 * reward heads with a prompt router, trained with {@code -log sum_k w_k(x) sigma(d_k)}; the
 * checkpoint's {@code num_labels} is {@code 2 * heads} (the rewards, then the router logits). With
 * {@code user_routing} the router is MiCRo's context-aware one with the user as context: each
 * {@code user_id} of the data has a learned routing bias added to the router logits, written next
 * to the model ({@code mixture.user_bias.*}).
 *
 * @param heads number of reward heads K, {@code >= 1}
 * @param userRouting whether each user has a learned routing bias
 */
public record MixtureParams(int heads, boolean userRouting) {
    /** Validates K. */
    public MixtureParams {
        Require.atLeast(heads, 1, "heads");
    }

    /**
     * A prompt-routed mixture of {@code heads} heads.
     *
     * @param heads number of reward heads K, {@code >= 1}
     */
    public MixtureParams(int heads) {
        this(heads, false);
    }

    /** Two heads, prompt routing only. */
    public static MixtureParams defaults() {
        return new MixtureParams(2, false);
    }

    /** The score head. */
    public MixtureHead head() {
        return new MixtureHead(heads);
    }
}
