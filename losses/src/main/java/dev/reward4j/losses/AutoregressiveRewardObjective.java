package dev.reward4j.losses;

import ai.djl.ndarray.NDArray;

/**
 * An objective of an autoregressive reward model (a language model whose summed token log-probs are
 * the reward). One validated record per variant; each record's {@link #apply} calls its own
 * function in {@link AutoregressiveRewardLosses}.
 */
public sealed interface AutoregressiveRewardObjective permits AutoregressiveRewardObjective.GenArm {

    /**
     * Short stable name for logs and configs.
     *
     * @return e.g. {@code "genarm"}
     */
    String name();

    /**
     * The reward scale: the reward of a response is \( \beta_r \) times its summed token log-probs
     * under the reward LM.
     *
     * @return \( \beta_r > 0 \)
     */
    double betaR();

    /**
     * Computes the objective.
     *
     * @param logps summed token log-probs of the reward LM for chosen and rejected responses, each
     *     {@code (B)} (reference arrays must be null)
     * @param weight optional {@code (B)} non-negative example weights, or null
     * @param reduction how to combine the per-pair losses
     * @return loss and diagnostics, attached to the manager of {@code logps.policyChosen()}
     */
    PairwiseOutput apply(PairLogps logps, NDArray weight, Reduction reduction);

    /**
     * GenARM: the reward is \( r(x, y) = \beta_r \log\pi_r(y \mid x) = \beta_r \sum_t \log\pi_r(y_t
     * \mid x, y_{&lt;t}) \) and the loss is BT on it, \( \ell = -\log\sigma(\beta_r(\log\pi_r(y_c
     * \mid x) - \log\pi_r(y_r \mid x))) \). The next-token reward is \( \beta_r \log\pi_r(y_t \mid
     * x, y_{&lt;t}) \).
     *
     * @param betaR \( \beta_r > 0 \), default 1
     */
    record GenArm(double betaR) implements AutoregressiveRewardObjective {
        /**
         * Validates the components.
         *
         * @param betaR see the record description
         */
        public GenArm {
            LossChecks.positive("genarm", "betaR", betaR);
        }

        /**
         * \( \beta_r = 1 \).
         *
         * @return the objective
         */
        public static GenArm defaults() {
            return new GenArm(1.0);
        }

        @Override
        public String name() {
            return "genarm";
        }

        @Override
        public PairwiseOutput apply(PairLogps logps, NDArray weight, Reduction reduction) {
            return AutoregressiveRewardLosses.genArm(logps, this, weight, reduction);
        }
    }
}
