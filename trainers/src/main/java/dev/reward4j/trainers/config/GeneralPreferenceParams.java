package dev.reward4j.trainers.config;

import dev.reward4j.core.heads.PreferenceEmbeddingHead;
import dev.reward4j.losses.PreferenceEmbeddingObjective.GeneralPreference;

/**
 * The keys of objective {@code gpm}: a General Preference embedding Model, whose score head gives
 * each response a unit-norm embedding of {@code 2k} dimensions (and, {@code gated}, {@code k}
 * non-negative prompt-dependent eigenvalue gates), trained with {@code -log sigma(s/tau)} on the
 * skew-symmetric preference score (see {@link GeneralPreference}).
 *
 * @param tau temperature of the preference probability, {@code > 0}
 * @param k number of 2x2 blocks of the score ({@code k = 1}: two dimensions, enough for any
 *     three-item cycle), {@code >= 1}
 * @param gated whether the head has prompt-dependent gates
 */
public record GeneralPreferenceParams(double tau, int k, boolean gated) {
    /** Validates the values. */
    public GeneralPreferenceParams {
        Require.positive(tau, "tau");
        Require.atLeast(k, 1, "k");
    }

    /** The loss's default {@code tau}, {@code k = 2}, gated. */
    public static GeneralPreferenceParams defaults() {
        return new GeneralPreferenceParams(GeneralPreference.defaults().tau(), 2, true);
    }

    /** The loss. */
    public GeneralPreference loss() {
        return new GeneralPreference(tau);
    }

    /** The score head. */
    public PreferenceEmbeddingHead head() {
        return new PreferenceEmbeddingHead(k, gated);
    }
}
