package dev.reward4j.losses;

import ai.djl.ndarray.NDArray;

/**
 * An objective of an ideal-point preference model: each user has an ideal point in an embedding
 * space and prefers the response whose embedding is closer to it. One validated record per variant;
 * each record's {@link #apply} calls its own function in {@link IdealPointLosses}.
 */
public sealed interface IdealPointObjective permits IdealPointObjective.PalA {

    /**
     * Short stable name for logs and configs.
     *
     * @return e.g. {@code "pal-a"}
     */
    String name();

    /**
     * Computes the objective.
     *
     * @param pair embeddings, prototypes and user logits
     * @param weight optional {@code (B)} non-negative example weights, or null
     * @param reduction how to combine the per-pair losses
     * @return loss and diagnostics, attached to the manager of {@code pair.chosen()}
     */
    PreferenceOutput apply(IdealPointPair pair, NDArray weight, Reduction reduction);

    /**
     * PAL-A: the user's ideal point is a convex combination of K prototypes, \( a_u =
     * \mathrm{softmax}(u)^\top P \), and \( \ell = \mathrm{softplus}(-(\lVert f_r - a_u\rVert^2 -
     * \lVert f_c - a_u\rVert^2)/\tau) \).
     *
     * @param tau distance temperature \( \tau > 0 \), default 1
     */
    record PalA(double tau) implements IdealPointObjective {
        /**
         * Validates the components.
         *
         * @param tau see the record description
         */
        public PalA {
            LossChecks.positive("pal-a", "tau", tau);
        }

        /**
         * \( \tau = 1 \).
         *
         * @return the objective
         */
        public static PalA defaults() {
            return new PalA(1.0);
        }

        @Override
        public String name() {
            return "pal-a";
        }

        @Override
        public PreferenceOutput apply(IdealPointPair pair, NDArray weight, Reduction reduction) {
            return IdealPointLosses.palA(pair, this, weight, reduction);
        }
    }
}
