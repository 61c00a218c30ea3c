package dev.reward4j.losses;

import ai.djl.ndarray.NDArray;

/**
 * A reward-model pairwise objective on scalar rewards: a validated record per variant. The math
 * lives in {@link RewardModelLosses}; {@link #apply} dispatches to it.
 */
public sealed interface RewardModelObjective
        permits RewardModelObjective.BradleyTerry,
                RewardModelObjective.BtDirectReward,
                RewardModelObjective.ScaledBt,
                RewardModelObjective.SoftLabelBt,
                RewardModelObjective.RaoKupper {

    /**
     * Short stable name for logs and configs.
     *
     * @return e.g. {@code "bt"}
     */
    String name();

    /**
     * Computes the objective.
     *
     * @param pair rewards and auxiliaries, each {@code (B)}
     * @param weight optional {@code (B)} non-negative example weights (a 0/1 mask is a weight), or
     *     null
     * @param reduction how to combine the per-pair losses
     * @return loss and per-pair diagnostics, attached to the manager of {@code pair.chosen()}
     */
    PairwiseOutput apply(RewardPair pair, NDArray weight, Reduction reduction);

    /**
     * {@code pair} with a data set's per-pair column attached as this variant reads it (the {@code
     * margin} column of preference rows): the margin \( m \) of Bradley-Terry and BT-direct, the
     * strength of scaled BT; soft-label BT and Rao-Kupper override it (target probability, tie
     * flag). Each variant owns this choice, so a trainer never branches on the variant.
     *
     * @param pair the rewards
     * @param column {@code (B)} per-pair values, or null when the data has none
     * @return the pair with the column attached (unchanged for a null column)
     * @throws IllegalArgumentException when the variant requires the column and it is null
     */
    default RewardPair withMarginColumn(RewardPair pair, NDArray column) {
        return column == null ? pair : pair.withMargin(column);
    }

    /**
     * Bradley-Terry with optional margin, label smoothing and reward centering: \( \ell =
     * (1-\varepsilon)\,\mathrm{softplus}(-(r_c - r_r - m)) + \varepsilon\,\mathrm{softplus}(r_c -
     * r_r - m) + c\,(r_c + r_r)^2 \).
     *
     * @param labelSmoothing \( \varepsilon \in [0, 0.5] \), default 0
     * @param centeringCoefficient \( c \ge 0 \), default 0 (TRL {@code center_rewards_coefficient};
     *     arXiv 2312.09244 recommend 0.01)
     */
    record BradleyTerry(double labelSmoothing, double centeringCoefficient)
            implements RewardModelObjective {
        /**
         * Validates the components.
         *
         * @param labelSmoothing see the record description
         * @param centeringCoefficient see the record description
         */
        public BradleyTerry {
            LossChecks.inRange("bt", "labelSmoothing", labelSmoothing, 0, 0.5, false);
            LossChecks.nonNegative("bt", "centeringCoefficient", centeringCoefficient);
        }

        /**
         * Plain BT: no smoothing, no centering.
         *
         * @return the copy
         */
        public static BradleyTerry defaults() {
            return new BradleyTerry(0, 0);
        }

        /**
         * A copy with label smoothing \( \varepsilon \).
         *
         * @param epsilon the label smoothing
         * @return the copy
         */
        public BradleyTerry withLabelSmoothing(double epsilon) {
            return new BradleyTerry(epsilon, centeringCoefficient);
        }

        /**
         * A copy with the centering coefficient \( c \).
         *
         * @param c the centering coefficient
         * @return the copy
         */
        public BradleyTerry withCenteringCoefficient(double c) {
            return new BradleyTerry(labelSmoothing, c);
        }

        @Override
        public String name() {
            return "bt";
        }

        @Override
        public PairwiseOutput apply(RewardPair pair, NDArray weight, Reduction reduction) {
            return RewardModelLosses.bradleyTerry(pair, this, weight, reduction);
        }
    }

    /**
     * BT plus the direct-reward term of Eurus / UltraInteract: \( \ell = \mathrm{softplus}(-(r_c -
     * r_r - m)) + \kappa\,[\mathrm{softplus}(-r_c) + \mathrm{softplus}(r_r)] \).
     *
     * @param directCoefficient \( \kappa \ge 0 \), default 1 (the paper's unweighted sum)
     */
    record BtDirectReward(double directCoefficient) implements RewardModelObjective {
        /**
         * Validates the components.
         *
         * @param directCoefficient see the record description
         */
        public BtDirectReward {
            LossChecks.nonNegative("bt-direct", "directCoefficient", directCoefficient);
        }

        /**
         * \( \kappa = 1 \).
         *
         * @return the result
         */
        public static BtDirectReward defaults() {
            return new BtDirectReward(1);
        }

        @Override
        public String name() {
            return "bt-direct";
        }

        @Override
        public PairwiseOutput apply(RewardPair pair, NDArray weight, Reduction reduction) {
            return RewardModelLosses.btDirectReward(pair, this, weight, reduction);
        }
    }

    /**
     * Scaled BT of HelpSteer2-Preference: \( \ell = |s|\,\mathrm{softplus}(-(r_c - r_r)) \) with
     * the preference strength \( s \) taken from {@link RewardPair#margin()} (required). No
     * hyperparameters.
     */
    record ScaledBt() implements RewardModelObjective {
        @Override
        public String name() {
            return "scaled-bt";
        }

        @Override
        public PairwiseOutput apply(RewardPair pair, NDArray weight, Reduction reduction) {
            return RewardModelLosses.scaledBt(pair, weight, reduction);
        }
    }

    /**
     * Soft-label BT (binary cross-entropy against a target probability): \( \ell =
     * p\,\mathrm{softplus}(-(r_c - r_r)) + (1-p)\,\mathrm{softplus}(r_c - r_r) \), with \( p \)
     * from {@link RewardPair#probability()} (required). No hyperparameters.
     */
    record SoftLabelBt() implements RewardModelObjective {
        @Override
        public String name() {
            return "soft-bt";
        }

        @Override
        public PairwiseOutput apply(RewardPair pair, NDArray weight, Reduction reduction) {
            return RewardModelLosses.softLabelBt(pair, weight, reduction);
        }

        /** The column is the target probability {@code p} (required). */
        @Override
        public RewardPair withMarginColumn(RewardPair pair, NDArray column) {
            if (column == null) {
                throw new IllegalArgumentException(
                        "soft-bt: the batch has no margin column (null); expected target"
                                + " probabilities in 'margin'");
            }
            return pair.withProbability(column);
        }
    }

    /**
     * Rao-Kupper BT with ties, tie indicator from {@link RewardPair#tie()} (required). With \( d =
     * r_c - r_r \) and \( \nu = \log\theta \): \( \ell_{win} = \mathrm{softplus}(\nu - d) \), \(
     * \ell_{tie} = -\log(e^{2\nu} - 1) + \nu - d + \mathrm{softplus}(d - \nu) + \mathrm{softplus}(d
     * + \nu) \).
     *
     * @param logTheta \( \nu = \log\theta > 0 \) (tie width), default 1.0 (\( \theta = e \)); there
     *     is no canonical value, tune it on the tie rate of the data
     */
    record RaoKupper(double logTheta) implements RewardModelObjective {
        /**
         * Validates the components.
         *
         * @param logTheta see the record description
         */
        public RaoKupper {
            LossChecks.positive("rao-kupper", "logTheta", logTheta);
        }

        /**
         * \( \nu = 1 \).
         *
         * @return the result
         */
        public static RaoKupper defaults() {
            return new RaoKupper(1.0);
        }

        @Override
        public String name() {
            return "rao-kupper";
        }

        @Override
        public PairwiseOutput apply(RewardPair pair, NDArray weight, Reduction reduction) {
            return RewardModelLosses.raoKupper(pair, this, weight, reduction);
        }

        /** The column is the 0/1 tie flag (required). */
        @Override
        public RewardPair withMarginColumn(RewardPair pair, NDArray column) {
            if (column == null) {
                throw new IllegalArgumentException(
                        "rao-kupper: the batch has no margin column (null); expected 0/1 tie flags"
                                + " in 'margin'");
            }
            return pair.withTie(column);
        }
    }
}
