package dev.reward4j.trainers.config;

import dev.reward4j.losses.NllNormalization;
import dev.reward4j.losses.PairwisePolicyObjective;
import dev.reward4j.losses.PairwisePolicyObjective.FDivergence;
import java.util.List;

/**
 * Keys of the pairwise policy objectives whose loss is not a single flat record of {@code
 * dev.reward4j.losses}: ORPO and CPO as published (preference term plus the chosen-response NLL)
 * and f-DPO (a divergence). Each record is the {@code objective:} section's keys besides {@code
 * type} and builds its loss.
 */
public sealed interface PolicyPairParams
        permits PolicyPairParams.Orpo, PolicyPairParams.Cpo, PolicyPairParams.FDpo {
    /** The loss these keys describe. */
    PairwisePolicyObjective toLoss();

    /**
     * Adds the chosen NLL with TRL's normalisation (token mean over the micro-batch's chosen
     * responses).
     */
    private static PairwisePolicyObjective withNll(PairwisePolicyObjective base, double weight) {
        return weight == 0
                ? base
                : base.withChosenNll(weight).withNormalization(NllNormalization.BATCH_TOKEN_MEAN);
    }

    /**
     * ORPO (Hong et al. 2024): \( \mathcal L_{SFT} + \lambda \mathcal L_{OR} \) as TRL's {@code
     * ORPOTrainer}.
     *
     * @param beta \( \lambda \) of the odds-ratio term, {@code > 0}, default 0.1 (TRL)
     * @param nllWeight weight of the chosen-response NLL \( \mathcal L_{SFT} \), {@code >= 0},
     *     default 1 (paper, TRL); 0 trains the odds-ratio term alone
     */
    record Orpo(double beta, double nllWeight) implements PolicyPairParams {
        /** Validates the values. */
        public Orpo {
            Require.positive(beta, "beta");
            Require.nonNegative(nllWeight, "nll_weight");
        }

        /** {@code beta 0.1, nll_weight 1}. */
        public static Orpo defaults() {
            return new Orpo(0.1, 1.0);
        }

        @Override
        public PairwisePolicyObjective toLoss() {
            return withNll(new PairwisePolicyObjective.Orpo(beta), nllWeight);
        }
    }

    /**
     * CPO (Xu et al. 2024): reference-free preference term plus \( \alpha \) times the chosen NLL,
     * as TRL's {@code CPOTrainer} ({@code cpo_alpha}).
     *
     * @param beta \( \beta > 0 \), default 0.1 (TRL)
     * @param labelSmoothing \( \varepsilon \in [0, 0.5] \), default 0
     * @param nllWeight \( \alpha \ge 0 \) (TRL {@code cpo_alpha}), default 1; 0 trains the
     *     preference term alone
     */
    record Cpo(double beta, double labelSmoothing, double nllWeight) implements PolicyPairParams {
        /** Validates the values. */
        public Cpo {
            Require.positive(beta, "beta");
            if (!(labelSmoothing >= 0 && labelSmoothing <= 0.5)) {
                throw new IllegalArgumentException(
                        "label_smoothing: expected a number in [0, 0.5] (got "
                                + Require.fmt(labelSmoothing)
                                + ")");
            }
            Require.nonNegative(nllWeight, "nll_weight");
        }

        /** {@code beta 0.1, label_smoothing 0, nll_weight 1}. */
        public static Cpo defaults() {
            return new Cpo(0.1, 0.0, 1.0);
        }

        @Override
        public PairwisePolicyObjective toLoss() {
            return withNll(new PairwisePolicyObjective.Cpo(beta, labelSmoothing), nllWeight);
        }
    }

    /**
     * f-DPO (Wang et al. 2023) with a named divergence.
     *
     * @param beta \( \beta > 0 \), default 0.1
     * @param divergence {@code reverse-kl} (= DPO), {@code forward-kl}, {@code js} or {@code
     *     alpha}; default reverse-kl
     * @param alpha the alpha divergence's \( \alpha > 0 \), only with {@code divergence: alpha};
     *     null = 1.0 (TRL)
     */
    record FDpo(double beta, String divergence, Double alpha) implements PolicyPairParams {
        static final List<String> DIVERGENCES = List.of("reverse-kl", "forward-kl", "js", "alpha");

        /** Validates the values. */
        public FDpo {
            Require.positive(beta, "beta");
            if (!DIVERGENCES.contains(divergence)) {
                throw new IllegalArgumentException(
                        "divergence: expected one of "
                                + DIVERGENCES
                                + " (got '"
                                + divergence
                                + "')");
            }
            if (alpha != null && !divergence.equals("alpha")) {
                throw new IllegalArgumentException(
                        "alpha: only used with divergence alpha (got divergence '"
                                + divergence
                                + "'); remove the key");
            }
            if (alpha != null) {
                Require.positive(alpha, "alpha");
            }
        }

        /** {@code beta 0.1}, reverse KL. */
        public static FDpo defaults() {
            return new FDpo(0.1, "reverse-kl", null);
        }

        @Override
        public PairwisePolicyObjective toLoss() {
            FDivergence d =
                    switch (divergence) {
                        case "forward-kl" -> new FDivergence.ForwardKl();
                        case "js" -> new FDivergence.JensenShannon();
                        case "alpha" -> new FDivergence.Alpha(alpha == null ? 1.0 : alpha);
                        default -> new FDivergence.ReverseKl();
                    };
            return new PairwisePolicyObjective.FDpo(beta, d);
        }
    }
}
