package dev.reward4j.losses;

import ai.djl.ndarray.NDArray;

/**
 * Triple Preference Optimization ("Triple Preference Optimization: Achieving Better Alignment with
 * Less Data in a Single Step Optimization", arXiv 2405.16681; authors' {@code TPOTrainer}): a
 * reference-free preference term on \( (y_w, y_l) \) plus behavioural cloning of the gold response
 * \( y_{gold} \), in one step. Inputs: {@link TripleLogps}. Each record's {@link #apply} calls its
 * own function in {@link TriplePreferenceLosses}.
 */
public sealed interface TriplePreferenceObjective
        permits TriplePreferenceObjective.Tpo, TriplePreferenceObjective.TpoLengthNormalized {

    /**
     * Short stable name for logs and configs.
     *
     * @return e.g. {@code "tpo"}
     */
    String name();

    /**
     * Computes the objective.
     *
     * @param logps triple log-probs and token counts {@code (B)}
     * @param weight optional {@code (B)} triple weights, or null
     * @param reduction how to combine the per-triple losses
     * @return loss and diagnostics (rewards of \( y_w \), \( y_l \); {@code chosenNll} is the gold
     *     NLL), attached to the manager of {@code logps.chosen()}
     */
    PairwiseOutput apply(TripleLogps logps, NDArray weight, Reduction reduction);

    /**
     * TPO: \( \ell = -\log\sigma(\beta(\pi_w - \pi_l)) + \alpha\,\mathrm{NLL}(y_{gold}) \) on
     * summed log-probs, the NLL a per-token mean of the gold response. Rewards \( \beta\pi \).
     *
     * @param beta \( \beta > 0 \), default 1 (authors' trainer)
     * @param alpha gold NLL weight \( \alpha \ge 0 \), default 1 (authors' trainer)
     */
    record Tpo(double beta, double alpha) implements TriplePreferenceObjective {
        /**
         * Validates the components.
         *
         * @param beta see the record description
         * @param alpha see the record description
         */
        public Tpo {
            LossChecks.positive("tpo", "beta", beta);
            LossChecks.nonNegative("tpo", "alpha", alpha);
        }

        /**
         * {@code beta = 1, alpha = 1}.
         *
         * @return the result
         */
        public static Tpo defaults() {
            return new Tpo(1.0, 1.0);
        }

        @Override
        public String name() {
            return "tpo";
        }

        @Override
        public PairwiseOutput apply(TripleLogps logps, NDArray weight, Reduction reduction) {
            return TriplePreferenceLosses.tpo(this, logps, weight, reduction);
        }
    }

    /**
     * TPO-L, the length-controlled variant: per-token means and a target reward margin, \( \ell =
     * -\log\sigma(\beta(\bar\pi_w - \bar\pi_l) - \gamma) + \alpha\,\mathrm{NLL}(y_{gold}) \).
     * Rewards \( \beta\bar\pi \).
     *
     * @param beta \( \beta > 0 \), default 2
     * @param gamma target margin \( \gamma \ge 0 \), default 1
     * @param alpha gold NLL weight \( \alpha \ge 0 \), default 1
     */
    record TpoLengthNormalized(double beta, double gamma, double alpha)
            implements TriplePreferenceObjective {
        /**
         * Validates the components.
         *
         * @param beta see the record description
         * @param gamma see the record description
         * @param alpha see the record description
         */
        public TpoLengthNormalized {
            LossChecks.positive("tpo-l", "beta", beta);
            LossChecks.nonNegative("tpo-l", "gamma", gamma);
            LossChecks.nonNegative("tpo-l", "alpha", alpha);
        }

        /**
         * {@code beta = 2, gamma = 1, alpha = 1}.
         *
         * @return the result
         */
        public static TpoLengthNormalized defaults() {
            return new TpoLengthNormalized(2.0, 1.0, 1.0);
        }

        @Override
        public String name() {
            return "tpo-l";
        }

        @Override
        public PairwiseOutput apply(TripleLogps logps, NDArray weight, Reduction reduction) {
            return TriplePreferenceLosses.tpoLengthNormalized(this, logps, weight, reduction);
        }
    }
}
