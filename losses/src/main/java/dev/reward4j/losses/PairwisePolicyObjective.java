package dev.reward4j.losses;

import ai.djl.ndarray.NDArray;

/**
 * A pairwise preference-optimisation objective on sequence log-probs ({@link PairLogps}): one
 * validated record per variant. The math lives in {@link PairwisePolicyLosses}; {@link #apply}
 * dispatches to it. Notation: \( \rho_c = \log\pi_\theta(y_c) - \log\pi_{ref}(y_c) \), \( \rho_r \)
 * likewise, summed over response tokens; \( \bar x = x / \max(n, 1) \) is a per-token mean.
 *
 * <p>Any objective can add an NLL term on the chosen response with {@link #withChosenNll(double)}
 * (CPO and ORPO as published use coefficient 1).
 */
public sealed interface PairwisePolicyObjective
        permits PairwisePolicyObjective.Dpo,
                PairwisePolicyObjective.ConservativeDpo,
                PairwisePolicyObjective.RobustDpo,
                PairwisePolicyObjective.Ipo,
                PairwisePolicyObjective.Hinge,
                PairwisePolicyObjective.FDpo,
                PairwisePolicyObjective.LengthNormalizedDpo,
                PairwisePolicyObjective.SimPo,
                PairwisePolicyObjective.Orpo,
                PairwisePolicyObjective.Cpo,
                PairwisePolicyObjective.WithChosenNll {

    /**
     * Short stable name for logs and configs.
     *
     * @return e.g. {@code "dpo"} or {@code "cpo+nll"}
     */
    String name();

    /**
     * Computes the objective.
     *
     * @param logps sequence log-probs {@code (B)} each, token counts where needed
     * @param weight optional {@code (B)} non-negative example weights (a 0/1 mask is a weight), or
     *     null
     * @param reduction how to combine the per-pair losses
     * @return loss and diagnostics, attached to the manager of {@code logps.policyChosen()}
     */
    default PairwiseOutput apply(PairLogps logps, NDArray weight, Reduction reduction) {
        return PairwisePolicyLosses.compute(this, logps, weight, reduction);
    }

    /**
     * This objective plus \( \alpha \) times the chosen-response NLL, per-example token mean
     * ({@link NllNormalization#EXAMPLE_TOKEN_MEAN}).
     *
     * @param coefficient \( \alpha > 0 \)
     * @return the combined objective
     */
    default WithChosenNll withChosenNll(double coefficient) {
        return new WithChosenNll(this, coefficient, NllNormalization.EXAMPLE_TOKEN_MEAN);
    }

    /**
     * DPO: \( \ell = -\log\sigma(\beta(\rho_c - \rho_r)) \).
     *
     * @param beta \( \beta > 0 \), default 0.1 (TRL)
     */
    record Dpo(double beta) implements PairwisePolicyObjective {
        /**
         * Validates the components.
         *
         * @param beta see the record description
         */
        public Dpo {
            LossChecks.positive("dpo", "beta", beta);
        }

        /**
         * {@code beta = 0.1}.
         *
         * @return the result
         */
        public static Dpo defaults() {
            return new Dpo(0.1);
        }

        @Override
        public String name() {
            return "dpo";
        }
    }

    /**
     * Conservative DPO (cDPO, label smoothing \( \varepsilon \)): \( \ell = (1-\varepsilon)\,
     * \mathrm{softplus}(-z) + \varepsilon\,\mathrm{softplus}(z) \), \( z = \beta(\rho_c - \rho_r)
     * \).
     *
     * @param beta \( \beta > 0 \), default 0.1
     * @param epsilon label-flip probability \( \varepsilon \in [0, 0.5] \), default 0.1
     */
    record ConservativeDpo(double beta, double epsilon) implements PairwisePolicyObjective {
        /**
         * Validates the components.
         *
         * @param beta see the record description
         * @param epsilon see the record description
         */
        public ConservativeDpo {
            LossChecks.positive("cdpo", "beta", beta);
            LossChecks.inRange("cdpo", "epsilon", epsilon, 0, 0.5, false);
        }

        /**
         * {@code beta = 0.1, epsilon = 0.1}.
         *
         * @return the result
         */
        public static ConservativeDpo defaults() {
            return new ConservativeDpo(0.1, 0.1);
        }

        @Override
        public String name() {
            return "cdpo";
        }
    }

    /**
     * Robust DPO (rDPO, the unbiased estimator under label noise \( \varepsilon \)): \( \ell =
     * [(1-\varepsilon)\,\mathrm{softplus}(-z) - \varepsilon\,\mathrm{softplus}(z)] / (1 -
     * 2\varepsilon) \).
     *
     * @param beta \( \beta > 0 \), default 0.1
     * @param epsilon \( \varepsilon \in [0, 0.5) \), default 0.1
     */
    record RobustDpo(double beta, double epsilon) implements PairwisePolicyObjective {
        /**
         * Validates the components.
         *
         * @param beta see the record description
         * @param epsilon see the record description
         */
        public RobustDpo {
            LossChecks.positive("rdpo", "beta", beta);
            LossChecks.inRange("rdpo", "epsilon", epsilon, 0, 0.5, true);
        }

        /**
         * {@code beta = 0.1, epsilon = 0.1}.
         *
         * @return the result
         */
        public static RobustDpo defaults() {
            return new RobustDpo(0.1, 0.1);
        }

        @Override
        public String name() {
            return "rdpo";
        }
    }

    /**
     * IPO on per-token mean log-ratios (TRL): \( \ell = (\bar\rho_c - \bar\rho_r - 1/(2\beta))^2
     * \). Needs token counts.
     *
     * @param beta the regulariser \( \tau \) of the paper, \( > 0 \), default 0.1
     */
    record Ipo(double beta) implements PairwisePolicyObjective {
        /**
         * Validates the components.
         *
         * @param beta see the record description
         */
        public Ipo {
            LossChecks.positive("ipo", "beta", beta);
        }

        /**
         * {@code beta = 0.1}.
         *
         * @return the result
         */
        public static Ipo defaults() {
            return new Ipo(0.1);
        }

        @Override
        public String name() {
            return "ipo";
        }
    }

    /**
     * Hinge (RSO hinge-norm; SLiC-HF calibration loss when used reference-free): \( \ell = \max(0,
     * 1 - \beta(\rho_c - \rho_r)) \). SLiC's margin \( \delta \) is \( 1/\beta \).
     *
     * @param beta \( \beta > 0 \), default 0.1
     */
    record Hinge(double beta) implements PairwisePolicyObjective {
        /**
         * Validates the components.
         *
         * @param beta see the record description
         */
        public Hinge {
            LossChecks.positive("hinge", "beta", beta);
        }

        /**
         * {@code beta = 0.1}.
         *
         * @return the result
         */
        public static Hinge defaults() {
            return new Hinge(0.1);
        }

        @Override
        public String name() {
            return "hinge";
        }
    }

    /**
     * f-DPO: \( \ell = -\log\sigma(\beta\,[f'(u_c) - f'(u_r)]) \) with \( u = \pi_\theta/\pi_{ref}
     * = e^{\rho} \) and the divergence's \( f' \) (constants cancel).
     *
     * @param beta \( \beta > 0 \), default 0.1
     * @param divergence the f-divergence, default reverse KL (= DPO)
     */
    record FDpo(double beta, FDivergence divergence) implements PairwisePolicyObjective {
        /**
         * Validates the components.
         *
         * @param beta see the record description
         * @param divergence see the record description
         */
        public FDpo {
            LossChecks.positive("f-dpo", "beta", beta);
            if (divergence == null) {
                throw LossChecks.bad(
                        "f-dpo", "divergence is missing", "null", "expected an FDivergence");
            }
        }

        /**
         * {@code beta = 0.1}, reverse KL.
         *
         * @return the result
         */
        public static FDpo defaults() {
            return new FDpo(0.1, new FDivergence.ReverseKl());
        }

        @Override
        public String name() {
            return "f-dpo(" + divergence.name() + ")";
        }
    }

    /**
     * The divergence of {@link FDpo}, as \( f'(u_c) - f'(u_r) \) in terms of \( \rho = \log u \).
     * Exponentials are capped as in TRL's {@code cap_exp} (exponent at most 88 in float32, 709 in
     * float64).
     */
    sealed interface FDivergence
            permits FDivergence.ReverseKl,
                    FDivergence.ForwardKl,
                    FDivergence.JensenShannon,
                    FDivergence.Alpha {
        /**
         * Short name for logs.
         *
         * @return the name
         */
        String name();

        /** Reverse KL, \( f'(u) = \log u + 1 \): \( \rho_c - \rho_r \) (plain DPO). */
        record ReverseKl() implements FDivergence {
            @Override
            public String name() {
                return "reverse-kl";
            }
        }

        /** Forward KL, \( f'(u) = -1/u \): \( e^{-\rho_r} - e^{-\rho_c} \). */
        record ForwardKl() implements FDivergence {
            @Override
            public String name() {
                return "forward-kl";
            }
        }

        /**
         * Jensen-Shannon, \( f'(u) = \log(2u/(1+u)) \): \( (\rho_c - \rho_r) -
         * (\mathrm{softplus}(\rho_c) - \mathrm{softplus}(\rho_r)) \) (TRL).
         */
        record JensenShannon() implements FDivergence {
            @Override
            public String name() {
                return "js";
            }
        }

        /**
         * Alpha divergence, \( f'(u) = (1 - u^{-\alpha})/\alpha \): \( (e^{-\alpha\rho_r} -
         * e^{-\alpha\rho_c})/\alpha \) (TRL).
         *
         * @param alpha \( \alpha > 0 \), default 1.0 (TRL {@code ALPHA_DIVERGENCE_COEF_DEFAULT})
         */
        record Alpha(double alpha) implements FDivergence {
            /**
             * Validates the components.
             *
             * @param alpha see the record description
             */
            public Alpha {
                LossChecks.positive("f-dpo", "alpha", alpha);
            }

            @Override
            public String name() {
                return "alpha=" + alpha;
            }
        }
    }

    /**
     * Length-normalised DPO (Tulu 3): \( \ell = -\log\sigma(\beta(\bar\rho_c - \bar\rho_r)) \) with
     * per-token mean log-ratios. Needs token counts.
     *
     * @param beta \( \beta > 0 \), default 5.0 (Tulu 3)
     */
    record LengthNormalizedDpo(double beta) implements PairwisePolicyObjective {
        /**
         * Validates the components.
         *
         * @param beta see the record description
         */
        public LengthNormalizedDpo {
            LossChecks.positive("ln-dpo", "beta", beta);
        }

        /**
         * {@code beta = 5}.
         *
         * @return the result
         */
        public static LengthNormalizedDpo defaults() {
            return new LengthNormalizedDpo(5.0);
        }

        @Override
        public String name() {
            return "ln-dpo";
        }
    }

    /**
     * SimPO (reference-free, length-normalised, target margin \( \gamma \)): \( z = \beta(\bar\pi_c
     * - \bar\pi_r) - \gamma \), \( \ell = (1-\varepsilon)\,\mathrm{softplus}(-z) +
     * \varepsilon\,\mathrm{softplus}(z) \) (TRL {@code simpo}, whose {@code simpo_gamma} is \(
     * \gamma \)). Needs token counts.
     *
     * @param beta \( \beta > 0 \), default 2.0 (paper)
     * @param gamma target reward margin \( \gamma \ge 0 \), default 1.0 (paper: \( \gamma/\beta =
     *     0.5 \))
     * @param labelSmoothing \( \varepsilon \in [0, 0.5] \), default 0
     */
    record SimPo(double beta, double gamma, double labelSmoothing)
            implements PairwisePolicyObjective {
        /**
         * Validates the components.
         *
         * @param beta see the record description
         * @param gamma see the record description
         * @param labelSmoothing see the record description
         */
        public SimPo {
            LossChecks.positive("simpo", "beta", beta);
            LossChecks.nonNegative("simpo", "gamma", gamma);
            LossChecks.inRange("simpo", "labelSmoothing", labelSmoothing, 0, 0.5, false);
        }

        /**
         * {@code beta = 2, gamma = 1, labelSmoothing = 0}.
         *
         * @return the result
         */
        public static SimPo defaults() {
            return new SimPo(2.0, 1.0, 0.0);
        }

        @Override
        public String name() {
            return "simpo";
        }
    }

    /**
     * ORPO odds-ratio term on per-token mean log-probs \( \bar\pi \) (TRL): \( \ell =
     * -\beta\log\sigma\big((\bar\pi_c - \bar\pi_r) - (\log(1-e^{\bar\pi_c}) -
     * \log(1-e^{\bar\pi_r}))\big) \). ORPO as published is {@code new
     * Orpo(beta).withChosenNll(1.0)} with {@link NllNormalization#BATCH_TOKEN_MEAN}. Needs token
     * counts.
     *
     * @param beta \( \lambda > 0 \) of the paper, default 0.1
     */
    record Orpo(double beta) implements PairwisePolicyObjective {
        /**
         * Validates the components.
         *
         * @param beta see the record description
         */
        public Orpo {
            LossChecks.positive("orpo", "beta", beta);
        }

        /**
         * {@code beta = 0.1}.
         *
         * @return the result
         */
        public static Orpo defaults() {
            return new Orpo(0.1);
        }

        @Override
        public String name() {
            return "orpo";
        }
    }

    /**
     * CPO preference term (reference-free DPO on summed log-probs): \( z = \beta(\pi_c - \pi_r) \),
     * \( \ell = (1-\varepsilon)\,\mathrm{softplus}(-z) + \varepsilon\,\mathrm{softplus}(z) \). CPO
     * as published adds the chosen NLL: {@code new Cpo(0.1, 0).withChosenNll(1.0)}.
     *
     * @param beta \( \beta > 0 \), default 0.1
     * @param labelSmoothing \( \varepsilon \in [0, 0.5] \), default 0
     */
    record Cpo(double beta, double labelSmoothing) implements PairwisePolicyObjective {
        /**
         * Validates the components.
         *
         * @param beta see the record description
         * @param labelSmoothing see the record description
         */
        public Cpo {
            LossChecks.positive("cpo", "beta", beta);
            LossChecks.inRange("cpo", "labelSmoothing", labelSmoothing, 0, 0.5, false);
        }

        /**
         * {@code beta = 0.1, labelSmoothing = 0}.
         *
         * @return the result
         */
        public static Cpo defaults() {
            return new Cpo(0.1, 0.0);
        }

        @Override
        public String name() {
            return "cpo";
        }
    }

    /**
     * Any objective plus \( \alpha \cdot \mathrm{nll}_b \) on the chosen response (normalisation
     * per {@link NllNormalization}). Needs chosen token counts.
     *
     * @param base the preference objective (not itself a {@code WithChosenNll})
     * @param coefficient \( \alpha > 0 \), e.g. 1.0 (CPO {@code cpo_alpha}, ORPO)
     * @param normalization how the NLL is averaged over tokens
     */
    record WithChosenNll(
            PairwisePolicyObjective base, double coefficient, NllNormalization normalization)
            implements PairwisePolicyObjective {
        /**
         * Validates the components.
         *
         * @param base see the record description
         * @param coefficient see the record description
         * @param normalization see the record description
         */
        public WithChosenNll {
            if (base == null || base instanceof WithChosenNll) {
                throw LossChecks.bad(
                        "nll",
                        "base objective is invalid",
                        base == null ? "null" : base.name(),
                        "expected a preference objective without an NLL term");
            }
            LossChecks.positive("nll", "coefficient", coefficient);
            if (normalization == null) {
                throw LossChecks.bad(
                        "nll", "normalization is missing", "null", "expected an NllNormalization");
            }
        }

        /**
         * A copy with another token normalisation.
         *
         * @param n the token normalisation
         * @return the combined objective
         */
        public WithChosenNll withNormalization(NllNormalization n) {
            return new WithChosenNll(base, coefficient, n);
        }

        @Override
        public WithChosenNll withChosenNll(double c) {
            return new WithChosenNll(base, c, normalization);
        }

        @Override
        public String name() {
            return base.name() + "+nll";
        }
    }
}
