package dev.reward4j.losses;

import ai.djl.ndarray.NDArray;

/**
 * DPO-family objectives that take one label per pair besides the sequence log-probs ({@link
 * PairLogps}): a soft preference probability, an empirical preference, a reward margin or a
 * consistency rate. Notation: \( z = \beta(\rho_c - \rho_r) \) with \( \rho = \log\pi_\theta(y) -
 * \log\pi_{ref}(y) \) summed over response tokens (the reference may be absent: 0). Labels are
 * constants. Each record's {@link #apply} calls its own function in {@link LabeledPairLosses}.
 */
public sealed interface LabeledPairObjective
        permits LabeledPairObjective.SoftPreference,
                LabeledPairObjective.Irepo,
                LabeledPairObjective.DynamicBetaDpo,
                LabeledPairObjective.ConsistencyDpo {

    /**
     * Short stable name for logs and configs.
     *
     * @return e.g. {@code "soft-preference"}
     */
    String name();

    /**
     * What the per-pair label means, for messages and docs.
     *
     * @return e.g. {@code "preference probability p in [0, 1]"}
     */
    String labelMeaning();

    /**
     * Computes the objective.
     *
     * @param logps sequence log-probs {@code (B)}
     * @param label the per-pair label {@code (B)} (see {@link #labelMeaning()})
     * @param weight optional {@code (B)} pair weights, or null
     * @param reduction how to combine the per-pair losses
     * @return loss and diagnostics, attached to the manager of {@code logps.policyChosen()}
     */
    PairwiseOutput apply(PairLogps logps, NDArray label, NDArray weight, Reduction reduction);

    /**
     * Soft-preference cross-entropy (OSP, arXiv 2405.14103): \( \ell = -p\log\sigma(z) -
     * (1-p)\log\sigma(-z) \) with the preference strength \( p \in [0, 1] \) that the chosen
     * response is better. \( p = 1 \) is DPO. Rewards \( \beta\rho \).
     *
     * @param beta \( \beta > 0 \), default 0.1
     */
    record SoftPreference(double beta) implements LabeledPairObjective {
        /**
         * Validates the components.
         *
         * @param beta see the record description
         */
        public SoftPreference {
            LossChecks.positive("soft-preference", "beta", beta);
        }

        /**
         * {@code beta = 0.1}.
         *
         * @return the result
         */
        public static SoftPreference defaults() {
            return new SoftPreference(0.1);
        }

        @Override
        public String name() {
            return "soft-preference";
        }

        @Override
        public String labelMeaning() {
            return "preference probability p in [0, 1] that the chosen response is better";
        }

        @Override
        public PairwiseOutput apply(
                PairLogps logps, NDArray label, NDArray weight, Reduction reduction) {
            return LabeledPairLosses.softPreference(this, beta, logps, label, weight, reduction);
        }
    }

    /**
     * iREPO (arXiv 2405.15230): regression of the implicit reward difference onto the logit of the
     * empirical preference, \( \ell = (z - \log(\hat p/(1 - \hat p)))^2 \), with \( \hat p \)
     * clipped to \( [\epsilon, 1-\epsilon] \) so that unanimous votes give a finite target. Rewards
     * \( \beta\rho \).
     *
     * @param beta \( \beta > 0 \), default 0.1
     * @param epsilon clip \( \epsilon \in (0, 0.5) \), default 0.01
     */
    record Irepo(double beta, double epsilon) implements LabeledPairObjective {
        /**
         * Validates the components.
         *
         * @param beta see the record description
         * @param epsilon see the record description
         */
        public Irepo {
            LossChecks.positive("irepo", "beta", beta);
            LossChecks.positive("irepo", "epsilon", epsilon);
            LossChecks.inRange("irepo", "epsilon", epsilon, 0, 0.5, true);
        }

        /**
         * {@code beta = 0.1, epsilon = 0.01}.
         *
         * @return the result
         */
        public static Irepo defaults() {
            return new Irepo(0.1, 0.01);
        }

        @Override
        public String name() {
            return "irepo";
        }

        @Override
        public String labelMeaning() {
            return "empirical preference p-hat in [0, 1] (share of annotators preferring chosen)";
        }

        @Override
        public PairwiseOutput apply(
                PairLogps logps, NDArray label, NDArray weight, Reduction reduction) {
            return LabeledPairLosses.irepo(this, logps, label, weight, reduction);
        }
    }

    /**
     * MM-DPO dynamic reward scaling (MM-RLHF, arXiv 2502.10391): a per-pair \( \beta_i = \beta(1 +
     * w(1 - e^{-k\delta_i})) \) from the reward margin \( \delta_i = r(y_c) - r(y_r) \) of a reward
     * model (a constant label), \( \ell = -\log\sigma(\beta_i(\rho_c - \rho_r)) \). \( \delta = 0
     * \) is DPO. Rewards \( \beta_i\rho \).
     *
     * @param beta base \( \beta > 0 \), default 0.1
     * @param w scaling weight \( w \ge 0 \), default 0.5
     * @param k margin sensitivity \( k > 0 \), default 0.5
     */
    record DynamicBetaDpo(double beta, double w, double k) implements LabeledPairObjective {
        /**
         * Validates the components.
         *
         * @param beta see the record description
         * @param w see the record description
         * @param k see the record description
         */
        public DynamicBetaDpo {
            LossChecks.positive("mm-dpo", "beta", beta);
            LossChecks.nonNegative("mm-dpo", "w", w);
            LossChecks.positive("mm-dpo", "k", k);
        }

        /**
         * {@code beta = 0.1, w = 0.5, k = 0.5}.
         *
         * @return the result
         */
        public static DynamicBetaDpo defaults() {
            return new DynamicBetaDpo(0.1, 0.5, 0.5);
        }

        @Override
        public String name() {
            return "mm-dpo";
        }

        @Override
        public String labelMeaning() {
            return "reward margin r(chosen) - r(rejected) from a reward model";
        }

        @Override
        public PairwiseOutput apply(
                PairLogps logps, NDArray label, NDArray weight, Reduction reduction) {
            return LabeledPairLosses.dynamicBeta(this, logps, label, weight, reduction);
        }
    }

    /**
     * CREAM consistency-regularised DPO (arXiv 2410.12735): with the consistency rate \( C \in [0,
     * 1] \) of two reward sources on the pair (e.g. \( (\tau + 1)/2 \) of Kendall's \( \tau \)
     * between the rankings of the current and the previous model), \( \ell = -C\log\sigma(z) -
     * (1-C)\log\sigma(-z) \): consistent pairs are learned as labelled, inconsistent ones are
     * pushed towards indifference. \( C = 1 \) is DPO. Rewards \( \beta\rho \).
     *
     * @param beta \( \beta > 0 \), default 0.1
     */
    record ConsistencyDpo(double beta) implements LabeledPairObjective {
        /**
         * Validates the components.
         *
         * @param beta see the record description
         */
        public ConsistencyDpo {
            LossChecks.positive("cream", "beta", beta);
        }

        /**
         * {@code beta = 0.1}.
         *
         * @return the result
         */
        public static ConsistencyDpo defaults() {
            return new ConsistencyDpo(0.1);
        }

        @Override
        public String name() {
            return "cream";
        }

        @Override
        public String labelMeaning() {
            return "consistency rate C in [0, 1] of two reward sources on the pair";
        }

        @Override
        public PairwiseOutput apply(
                PairLogps logps, NDArray label, NDArray weight, Reduction reduction) {
            return LabeledPairLosses.softPreference(this, beta, logps, label, weight, reduction);
        }
    }
}
