package dev.reward4j.trainers.config;

import dev.reward4j.core.heads.MixtureHead;

/**
 * The keys of objective {@code mixture}: a MiCRo-style mixture of {@code heads} Bradley-Terry
 * reward heads with a prompt router, trained with {@code -log sum_k w_k(x) sigma(d_k)}; the
 * checkpoint's {@code num_labels} is {@code 2 * heads} (the rewards, then the router logits).
 *
 * @param heads number of reward heads K, {@code >= 1}
 */
public record MixtureParams(int heads) {
    /** Validates K. */
    public MixtureParams {
        Require.atLeast(heads, 1, "heads");
    }

    /** Two heads. */
    public static MixtureParams defaults() {
        return new MixtureParams(2);
    }

    /** The score head. */
    public MixtureHead head() {
        return new MixtureHead(heads);
    }
}
