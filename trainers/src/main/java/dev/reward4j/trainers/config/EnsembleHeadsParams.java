package dev.reward4j.trainers.config;

import dev.reward4j.core.heads.ScalarHeads;

/**
 * The keys of objective {@code ensemble-heads}: an ensemble of {@code heads} Bradley-Terry reward
 * heads on one shared backbone, each head trained on its own Poisson(1) bootstrap of every batch
 * when {@code bootstrap}; the checkpoint's {@code num_labels} is {@code heads} (one reward per
 * member; aggregate them and read their spread with {@code EnsembleScorer}).
 *
 * @param heads number of members K, {@code >= 2}
 * @param bootstrap whether each head sees its own bootstrap weights of the pairs
 */
public record EnsembleHeadsParams(int heads, boolean bootstrap) {
    /** Validates K. */
    public EnsembleHeadsParams {
        Require.atLeast(heads, 2, "heads");
    }

    /** Four bootstrapped heads. */
    public static EnsembleHeadsParams defaults() {
        return new EnsembleHeadsParams(4, true);
    }

    /** The score heads. */
    public ScalarHeads scalarHeads() {
        return new ScalarHeads(heads);
    }
}
