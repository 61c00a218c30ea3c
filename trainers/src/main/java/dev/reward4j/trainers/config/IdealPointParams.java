package dev.reward4j.trainers.config;

import dev.reward4j.core.heads.ScalarHeads;
import dev.reward4j.losses.IdealPointObjective.PalA;

/**
 * The keys of objective {@code pal}: PAL-A ideal points ("PAL: Pluralistic Alignment Framework for
 * Learning from Heterogeneous Preferences", arXiv 2406.08469). The score head embeds each response
 * in {@code dims} dimensions; {@code prototypes} prototype ideal points and each user's simplex
 * weights over them (one row per {@code user_id} of the data) train with the model; a user prefers
 * the response nearer its ideal point, \( P = \sigma((\lVert f_r - a_u\rVert^2 - \lVert f_c -
 * a_u\rVert^2)/\tau) \). The prototypes and user weights are written next to the checkpoint ({@code
 * pal-prototypes.safetensors}, {@code pal.user_logits.*}).
 *
 * @param prototypes number of prototypes K, {@code >= 1}
 * @param dims embedding width D, {@code >= 1}
 * @param tau distance temperature, {@code > 0}
 */
public record IdealPointParams(int prototypes, int dims, double tau) {
    /** Validates the values. */
    public IdealPointParams {
        Require.atLeast(prototypes, 1, "prototypes");
        Require.atLeast(dims, 1, "dims");
        Require.positive(tau, "tau");
    }

    /** Two prototypes in four dimensions, the loss's default temperature. */
    public static IdealPointParams defaults() {
        return new IdealPointParams(2, 4, PalA.defaults().tau());
    }

    /** The loss. */
    public PalA loss() {
        return new PalA(tau);
    }

    /** The embedding head. */
    public ScalarHeads embedding() {
        return new ScalarHeads(dims);
    }
}
