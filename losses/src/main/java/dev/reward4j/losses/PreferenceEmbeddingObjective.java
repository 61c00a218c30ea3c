package dev.reward4j.losses;

import ai.djl.ndarray.NDArray;

/**
 * An objective on preference embeddings (a model that represents each response by a vector and
 * compares two responses by a skew-symmetric form, so that it can express intransitive
 * preferences). One validated record per variant; each record's {@link #apply} calls its own
 * function in {@link PreferenceEmbeddingLosses}.
 */
public sealed interface PreferenceEmbeddingObjective
        permits PreferenceEmbeddingObjective.GeneralPreference {

    /**
     * Short stable name for logs and configs.
     *
     * @return e.g. {@code "gpm"}
     */
    String name();

    /**
     * Computes the objective.
     *
     * @param pair embeddings {@code (B, 2k)} and optional gate logits {@code (B, k)}
     * @param weight optional {@code (B)} non-negative example weights, or null
     * @param reduction how to combine the per-pair losses
     * @return loss and diagnostics, attached to the manager of {@code pair.chosen()}
     */
    PreferenceOutput apply(EmbeddingPair pair, NDArray weight, Reduction reduction);

    /**
     * The general preference model (GPM) loss: \( \ell = -\log\sigma(s(y_c, y_r \mid x)/\tau) \)
     * with the skew-symmetric preference score of {@link
     * PreferenceEmbeddingLosses#preferenceScore}.
     *
     * @param tau temperature \( \tau > 0 \), default 0.1 (the reference implementation's default
     *     for embeddings of more than 2 dimensions)
     */
    record GeneralPreference(double tau) implements PreferenceEmbeddingObjective {
        /**
         * Validates the components.
         *
         * @param tau see the record description
         */
        public GeneralPreference {
            LossChecks.positive("gpm", "tau", tau);
        }

        /**
         * \( \tau = 0.1 \).
         *
         * @return the objective
         */
        public static GeneralPreference defaults() {
            return new GeneralPreference(0.1);
        }

        @Override
        public String name() {
            return "gpm";
        }

        @Override
        public PreferenceOutput apply(EmbeddingPair pair, NDArray weight, Reduction reduction) {
            return PreferenceEmbeddingLosses.generalPreference(pair, this, weight, reduction);
        }
    }
}
