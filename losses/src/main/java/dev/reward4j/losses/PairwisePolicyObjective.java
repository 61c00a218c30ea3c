package dev.reward4j.losses;

import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * A pairwise preference-optimisation objective on sequence log-probs ({@link PairLogps}): one
 * validated record per variant. Each record's {@link #apply} calls its own static function of
 * {@link PairwisePolicyLosses}. Notation: \( \rho_c = \log\pi_\theta(y_c) - \log\pi_{ref}(y_c) \),
 * \( \rho_r \) likewise, summed over response tokens; \( \bar x = x / \max(n, 1) \) is a per-token
 * mean; \( z = \beta(\rho_c - \rho_r) \).
 *
 * <p>Any objective can add an NLL term on the chosen response with {@link #withChosenNll(double)}
 * (CPO and ORPO as published use coefficient 1); several objectives combine with weights through
 * {@link Combination} (TRL's {@code loss_type} list with {@code loss_weights}, as MPO uses).
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
                PairwisePolicyObjective.ExoPair,
                PairwisePolicyObjective.NcaPair,
                PairwisePolicyObjective.BcoPair,
                PairwisePolicyObjective.SppoHard,
                PairwisePolicyObjective.Aot,
                PairwisePolicyObjective.AotUnpaired,
                PairwisePolicyObjective.ApoZero,
                PairwisePolicyObjective.ApoDown,
                PairwisePolicyObjective.DiscoPop,
                PairwisePolicyObjective.Sft,
                PairwisePolicyObjective.Combination,
                PairwisePolicyObjective.Wpo,
                PairwisePolicyObjective.LengthDesensitized,
                PairwisePolicyObjective.WithChosenNll {

    /**
     * Short stable name for logs and configs.
     *
     * @return e.g. {@code "dpo"} or {@code "cpo+nll"}
     */
    String name();

    /**
     * Computes the objective (each record calls its own function of {@link PairwisePolicyLosses}).
     *
     * @param logps sequence log-probs {@code (B)} each, token counts where needed
     * @param weight optional {@code (B)} non-negative example weights (a 0/1 mask is a weight), or
     *     null
     * @param reduction how to combine the per-pair losses
     * @return loss and diagnostics, attached to the manager of {@code logps.policyChosen()}
     */
    PairwiseOutput apply(PairLogps logps, NDArray weight, Reduction reduction);

    /**
     * Whether the objective reads reference log-probs (a trainer then needs a reference model or
     * cache). False for the reference-free objectives (SimPO, ORPO, CPO, SFT); a combination uses a
     * reference when any part does.
     *
     * @return true unless reference-free
     */
    default boolean usesReference() {
        return true;
    }

    /**
     * Whether the objective reads {@link PairLogps#tails()} (LD-DPO): a trainer then computes the
     * log-probs of each pair's response tokens past the shared length.
     *
     * @return true for {@link LengthDesensitized} (or an objective containing one)
     */
    default boolean usesTails() {
        return false;
    }

    /**
     * Whether the objective reads {@link PairLogps#aligned()} (WPO): a trainer then computes the
     * aligned log-probs from the full vocabulary distribution.
     *
     * @return true for {@link Wpo} (or an objective containing one)
     */
    default boolean usesAligned() {
        return false;
    }

    /**
     * This objective plus \( \alpha \) times the chosen-response NLL, per-example token mean
     * ({@link NllNormalization#EXAMPLE_TOKEN_MEAN}) over the response tokens.
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

        @Override
        public PairwiseOutput apply(PairLogps logps, NDArray weight, Reduction reduction) {
            return PairwisePolicyLosses.dpo(logps, this, weight, reduction);
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

        @Override
        public PairwiseOutput apply(PairLogps logps, NDArray weight, Reduction reduction) {
            return PairwisePolicyLosses.conservativeDpo(logps, this, weight, reduction);
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

        @Override
        public PairwiseOutput apply(PairLogps logps, NDArray weight, Reduction reduction) {
            return PairwisePolicyLosses.robustDpo(logps, this, weight, reduction);
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

        @Override
        public PairwiseOutput apply(PairLogps logps, NDArray weight, Reduction reduction) {
            return PairwisePolicyLosses.ipo(logps, this, weight, reduction);
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

        @Override
        public PairwiseOutput apply(PairLogps logps, NDArray weight, Reduction reduction) {
            return PairwisePolicyLosses.hinge(logps, this, weight, reduction);
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

        @Override
        public PairwiseOutput apply(PairLogps logps, NDArray weight, Reduction reduction) {
            return PairwisePolicyLosses.fDpo(logps, this, weight, reduction);
        }
    }

    /**
     * The divergence of {@link FDpo}, as \( f'(u_c) - f'(u_r) \) in terms of \( \rho = \log u \).
     * Exponentials are capped as in TRL's {@code cap_exp} (exponent at most 88 in float32, 709 in
     * float64). Each record computes its own difference.
     */
    sealed interface FDivergence
            permits FDivergence.ReverseKl,
                    FDivergence.ForwardKl,
                    FDivergence.JensenShannon,
                    FDivergence.Alpha,
                    FDivergence.AlphaPower {
        /**
         * Short name for logs.
         *
         * @return the name
         */
        String name();

        /**
         * \( f'(u_c) - f'(u_r) \) with \( u = e^{\rho} \) (constants of \( f' \) cancel).
         *
         * @param rhoChosen \( \rho_c \) {@code (B)}
         * @param rhoRejected \( \rho_r \) {@code (B)}
         * @return {@code (B)}, attached to the manager of {@code rhoChosen}
         */
        NDArray difference(NDArray rhoChosen, NDArray rhoRejected);

        /** Reverse KL, \( f'(u) = \log u + 1 \): \( \rho_c - \rho_r \) (plain DPO). */
        record ReverseKl() implements FDivergence {
            @Override
            public String name() {
                return "reverse-kl";
            }

            @Override
            public NDArray difference(NDArray rhoChosen, NDArray rhoRejected) {
                return rhoChosen.sub(rhoRejected);
            }
        }

        /** Forward KL, \( f'(u) = -1/u \): \( e^{-\rho_r} - e^{-\rho_c} \). */
        record ForwardKl() implements FDivergence {
            @Override
            public String name() {
                return "forward-kl";
            }

            @Override
            public NDArray difference(NDArray rhoChosen, NDArray rhoRejected) {
                return Numerics.cappedExp(rhoRejected.neg())
                        .sub(Numerics.cappedExp(rhoChosen.neg()));
            }
        }

        /**
         * Jensen-Shannon, \( f'(u) = \log(2u/(1+u)) \): \( (\rho_c - \rho_r) -
         * (\mathrm{softplus}(\rho_c) - \mathrm{softplus}(\rho_r)) \) (TRL, every version).
         */
        record JensenShannon() implements FDivergence {
            @Override
            public String name() {
                return "js";
            }

            @Override
            public NDArray difference(NDArray rhoChosen, NDArray rhoRejected) {
                return rhoChosen
                        .sub(rhoRejected)
                        .sub(Numerics.softPlus(rhoChosen).sub(Numerics.softPlus(rhoRejected)));
            }
        }

        /**
         * Alpha divergence as in the f-DPO paper and TRL &lt;= 0.28, \( f'(u) = (1 -
         * u^{-\alpha})/\alpha \): \( (e^{-\alpha\rho_r} - e^{-\alpha\rho_c})/\alpha \). The default
         * form.
         *
         * @param alpha \( \alpha > 0 \), default 1.0 (TRL &lt;= 0.28 {@code
         *     ALPHA_DIVERGENCE_COEF_DEFAULT})
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

            /**
             * {@code alpha = 1}.
             *
             * @return the result
             */
            public static Alpha defaults() {
                return new Alpha(1.0);
            }

            @Override
            public String name() {
                return "alpha=" + alpha;
            }

            @Override
            public NDArray difference(NDArray rhoChosen, NDArray rhoRejected) {
                NDArray a = Numerics.scalar(rhoChosen, -alpha);
                return Numerics.cappedExp(rhoRejected.mul(a))
                        .sub(Numerics.cappedExp(rhoChosen.mul(a)))
                        .div(Numerics.scalar(rhoChosen, alpha));
            }
        }

        /**
         * Alpha divergence as TRL &gt;= 0.29 computes it, \( f'(t) = (t^{\alpha-1} - 1)/(\alpha -
         * 1) \): \( (e^{(\alpha-1)\rho_c} - e^{(\alpha-1)\rho_r})/(\alpha - 1) \); \( \alpha = 1 \)
         * is the limit \( \rho_c - \rho_r \) (reverse KL), as TRL falls back for \( |\alpha - 1|
         * &lt; 10^{-6} \). The family is the paper's with \( \alpha_{paper} = 1 - \alpha \): {@code
         * AlphaPower(a)} equals {@code Alpha(1 - a)} for \( a &lt; 1 \); what differs is the
         * parameterisation, the default (0.5 here, the paper form's \( \alpha = 0.5 \), against the
         * paper form's default \( \alpha = 1 \)) and that \( a &gt; 1 \) is allowed. TRL clamps the
         * exponent at 80 in float32; here it is capped a few units below 88 (float32) or 709
         * (float64), so that the difference stays finite after the division by \( \alpha - 1 \);
         * this only differs where the loss is saturated anyway.
         *
         * @param alpha \( \alpha > 0 \), default 0.5 (TRL &gt;= 0.29 {@code
         *     f_alpha_divergence_coef})
         */
        record AlphaPower(double alpha) implements FDivergence {
            /**
             * Validates the components.
             *
             * @param alpha see the record description
             */
            public AlphaPower {
                LossChecks.positive("f-dpo", "alpha", alpha);
            }

            /**
             * {@code alpha = 0.5}.
             *
             * @return the result
             */
            public static AlphaPower defaults() {
                return new AlphaPower(0.5);
            }

            @Override
            public String name() {
                return "alpha-power=" + alpha;
            }

            @Override
            public NDArray difference(NDArray rhoChosen, NDArray rhoRejected) {
                if (Math.abs(alpha - 1) < 1e-6) {
                    return rhoChosen.sub(rhoRejected);
                }
                NDArray a = Numerics.scalar(rhoChosen, alpha - 1);
                double inv = 1 / (alpha - 1);
                // the exponent is capped so that the difference stays finite after the 1/(a-1)
                return Numerics.cappedExp(rhoChosen.mul(a), inv, 1)
                        .sub(Numerics.cappedExp(rhoRejected.mul(a), inv, 1))
                        .mul(Numerics.scalar(rhoChosen, inv));
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

        @Override
        public PairwiseOutput apply(PairLogps logps, NDArray weight, Reduction reduction) {
            return PairwisePolicyLosses.lengthNormalizedDpo(logps, this, weight, reduction);
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

        @Override
        public boolean usesReference() {
            return false;
        }

        @Override
        public PairwiseOutput apply(PairLogps logps, NDArray weight, Reduction reduction) {
            return PairwisePolicyLosses.simPo(logps, this, weight, reduction);
        }
    }

    /**
     * ORPO odds-ratio term on per-token mean log-probs \( \bar\pi \) (TRL): \( \ell =
     * -\beta\log\sigma\big((\bar\pi_c - \bar\pi_r) - (\log(1-e^{\bar\pi_c}) -
     * \log(1-e^{\bar\pi_r}))\big) \). ORPO as TRL's {@code ORPOTrainer} trains it is {@link
     * #trl()}: this term plus the chosen NLL averaged over the batch's prompt and response tokens.
     * Needs token counts.
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

        /**
         * ORPO as TRL's {@code ORPOTrainer}: {@link #defaults()} plus the chosen NLL with
         * coefficient 1, a token mean over the batch ({@link NllNormalization#BATCH_TOKEN_MEAN}) of
         * the chosen sequences' prompt and response tokens ({@link NllTokens#PROMPT_AND_RESPONSE}).
         *
         * @return the objective
         */
        public static WithChosenNll trl() {
            return defaults()
                    .withChosenNll(1.0)
                    .withNormalization(NllNormalization.BATCH_TOKEN_MEAN)
                    .withTokens(NllTokens.PROMPT_AND_RESPONSE);
        }

        @Override
        public String name() {
            return "orpo";
        }

        @Override
        public boolean usesReference() {
            return false;
        }

        @Override
        public PairwiseOutput apply(PairLogps logps, NDArray weight, Reduction reduction) {
            return PairwisePolicyLosses.orpo(logps, this, weight, reduction);
        }
    }

    /**
     * CPO preference term (reference-free DPO on summed log-probs): \( z = \beta(r_c - r_r) \), \(
     * \ell = (1-\varepsilon)\,\mathrm{softplus}(-z) + \varepsilon\,\mathrm{softplus}(z) \), with \(
     * r = \pi \) or, with AlphaPO's \( \alpha \ne 0 \), \( r = (1 - e^{-\alpha\pi})/\alpha \) (TRL
     * {@code CPOConfig.alpha}). CPO as TRL's {@code CPOTrainer} trains it adds the chosen NLL over
     * the response tokens: {@link #trl()}.
     *
     * @param beta \( \beta > 0 \), default 0.1
     * @param labelSmoothing \( \varepsilon \in [0, 0.5] \), default 0
     * @param alpha AlphaPO's reward-shape parameter \( \alpha \) (finite; 0 = plain log-probs),
     *     default 0
     */
    record Cpo(double beta, double labelSmoothing, double alpha)
            implements PairwisePolicyObjective {
        /**
         * Validates the components.
         *
         * @param beta see the record description
         * @param labelSmoothing see the record description
         * @param alpha see the record description
         */
        public Cpo {
            LossChecks.positive("cpo", "beta", beta);
            LossChecks.inRange("cpo", "labelSmoothing", labelSmoothing, 0, 0.5, false);
            LossChecks.finite("cpo", "alpha", alpha);
        }

        /**
         * CPO without AlphaPO's reward shape ({@code alpha = 0}).
         *
         * @param beta see the record description
         * @param labelSmoothing see the record description
         */
        public Cpo(double beta, double labelSmoothing) {
            this(beta, labelSmoothing, 0.0);
        }

        /**
         * {@code beta = 0.1, labelSmoothing = 0, alpha = 0}.
         *
         * @return the result
         */
        public static Cpo defaults() {
            return new Cpo(0.1, 0.0);
        }

        /**
         * CPO as TRL's {@code CPOTrainer} ({@code cpo_alpha = 1}): {@link #defaults()} plus the
         * chosen-response NLL, a token mean over the batch's chosen responses.
         *
         * @return the objective
         */
        public static WithChosenNll trl() {
            return defaults()
                    .withChosenNll(1.0)
                    .withNormalization(NllNormalization.BATCH_TOKEN_MEAN);
        }

        /**
         * A copy with AlphaPO's \( \alpha \).
         *
         * @param a the reward-shape parameter
         * @return the copy
         */
        public Cpo withAlpha(double a) {
            return new Cpo(beta, labelSmoothing, a);
        }

        @Override
        public String name() {
            return "cpo";
        }

        @Override
        public boolean usesReference() {
            return false;
        }

        @Override
        public PairwiseOutput apply(PairLogps logps, NDArray weight, Reduction reduction) {
            return PairwisePolicyLosses.cpo(logps, this, weight, reduction);
        }
    }

    /**
     * EXO (pairwise, TRL {@code exo_pair}): the reverse KL from the model's pair distribution \( q
     * = (\sigma(z), \sigma(-z)) \) to the smoothed labels \( p = (1-\varepsilon, \varepsilon) \):
     * \( \ell = \sigma(z)(\log\sigma(z) - \log(1-\varepsilon)) + \sigma(-z)(\log\sigma(-z) -
     * \log\varepsilon) \), \( z = \beta(\rho_c - \rho_r) \) (paper eq. 16 with K = 2).
     *
     * @param beta \( \beta > 0 \), default 0.1 (TRL)
     * @param epsilon label smoothing \( \varepsilon \in (0, 0.5] \), default 1e-3 (TRL replaces
     *     {@code label_smoothing = 0} by 1e-3 for {@code exo_pair})
     */
    record ExoPair(double beta, double epsilon) implements PairwisePolicyObjective {
        /**
         * Validates the components.
         *
         * @param beta see the record description
         * @param epsilon see the record description
         */
        public ExoPair {
            LossChecks.positive("exo_pair", "beta", beta);
            LossChecks.inRange("exo_pair", "epsilon", epsilon, 0, 0.5, false);
            LossChecks.positive("exo_pair", "epsilon", epsilon);
        }

        /**
         * {@code beta = 0.1, epsilon = 1e-3}.
         *
         * @return the result
         */
        public static ExoPair defaults() {
            return new ExoPair(0.1, 1e-3);
        }

        @Override
        public String name() {
            return "exo_pair";
        }

        @Override
        public PairwiseOutput apply(PairLogps logps, NDArray weight, Reduction reduction) {
            return PairwisePolicyLosses.exoPair(logps, this, weight, reduction);
        }
    }

    /**
     * NCA (pairwise, TRL {@code nca_pair}) on absolute implicit rewards \( r = \beta\rho \): \(
     * \ell = -\log\sigma(r_c) - \tfrac12\log\sigma(-r_c) - \tfrac12\log\sigma(-r_r) \) (paper eq.
     * 12 with K = 2).
     *
     * @param beta \( \beta > 0 \), default 0.1 (TRL)
     */
    record NcaPair(double beta) implements PairwisePolicyObjective {
        /**
         * Validates the components.
         *
         * @param beta see the record description
         */
        public NcaPair {
            LossChecks.positive("nca_pair", "beta", beta);
        }

        /**
         * {@code beta = 0.1}.
         *
         * @return the result
         */
        public static NcaPair defaults() {
            return new NcaPair(0.1);
        }

        @Override
        public String name() {
            return "nca_pair";
        }

        @Override
        public PairwiseOutput apply(PairLogps logps, NDArray weight, Reduction reduction) {
            return PairwisePolicyLosses.ncaPair(logps, this, weight, reduction);
        }
    }

    /**
     * Paired BCO (TRL {@code bco_pair}, HEAD semantics, no reward shift): \( \ell =
     * -\log\sigma(\beta\rho_c) - \log\sigma(-\beta\rho_r) \). TRL &lt;= 0.28 subtracted a running
     * mean of the batch rewards from both; the unpaired {@link UnpairedObjective.Bco} keeps that
     * shift.
     *
     * @param beta \( \beta > 0 \), default 0.1 (TRL)
     */
    record BcoPair(double beta) implements PairwisePolicyObjective {
        /**
         * Validates the components.
         *
         * @param beta see the record description
         */
        public BcoPair {
            LossChecks.positive("bco_pair", "beta", beta);
        }

        /**
         * {@code beta = 0.1}.
         *
         * @return the result
         */
        public static BcoPair defaults() {
            return new BcoPair(0.1);
        }

        @Override
        public String name() {
            return "bco_pair";
        }

        @Override
        public PairwiseOutput apply(PairLogps logps, NDArray weight, Reduction reduction) {
            return PairwisePolicyLosses.bcoPair(logps, this, weight, reduction);
        }
    }

    /**
     * SPPO with hard probabilities (TRL {@code sppo_hard}, P = 1 for the winner): \( \ell = (\rho_c
     * - \tfrac{1}{2\beta})^2 + (\rho_r + \tfrac{1}{2\beta})^2 \) (paper eq. 4.7 of Algorithm 1 with
     * \( \eta = \beta^{-1} \)).
     *
     * @param beta \( \beta > 0 \) (the paper's \( 1/\eta \)), default 0.1 (TRL)
     */
    record SppoHard(double beta) implements PairwisePolicyObjective {
        /**
         * Validates the components.
         *
         * @param beta see the record description
         */
        public SppoHard {
            LossChecks.positive("sppo_hard", "beta", beta);
        }

        /**
         * {@code beta = 0.1}.
         *
         * @return the result
         */
        public static SppoHard defaults() {
            return new SppoHard(0.1);
        }

        @Override
        public String name() {
            return "sppo_hard";
        }

        @Override
        public PairwiseOutput apply(PairLogps logps, NDArray weight, Reduction reduction) {
            return PairwisePolicyLosses.sppoHard(logps, this, weight, reduction);
        }
    }

    /**
     * AOT, paired (TRL {@code aot}): the batch's policy log-ratios \( \pi_c - \pi_r \) and
     * reference log-ratios are sorted separately and compared rank by rank: \( \Delta_{(i)} =
     * \mathrm{sort}(\pi_c - \pi_r)_i - \mathrm{sort}(\pi^{ref}_c - \pi^{ref}_r)_i \), \( \ell_i =
     * (1-\varepsilon)\,\mathrm{softplus}(-\beta\Delta_{(i)}) +
     * \varepsilon\,\mathrm{softplus}(\beta\Delta_{(i)}) \). The per-example losses are per rank;
     * example weights act as a mask (rows with weight 0 are left out of both sorts and the
     * reduction; other weights count as 1).
     *
     * @param beta \( \beta > 0 \), default 0.1 (TRL)
     * @param labelSmoothing \( \varepsilon \in [0, 0.5] \), default 0
     */
    record Aot(double beta, double labelSmoothing) implements PairwisePolicyObjective {
        /**
         * Validates the components.
         *
         * @param beta see the record description
         * @param labelSmoothing see the record description
         */
        public Aot {
            LossChecks.positive("aot", "beta", beta);
            LossChecks.inRange("aot", "labelSmoothing", labelSmoothing, 0, 0.5, false);
        }

        /**
         * {@code beta = 0.1, labelSmoothing = 0.0}.
         *
         * @return the result
         */
        public static Aot defaults() {
            return new Aot(0.1, 0.0);
        }

        @Override
        public String name() {
            return "aot";
        }

        @Override
        public PairwiseOutput apply(PairLogps logps, NDArray weight, Reduction reduction) {
            return PairwisePolicyLosses.aot(logps, this, weight, reduction);
        }
    }

    /**
     * AOT, unpaired (TRL {@code aot_unpaired}, {@code aot_pair} in TRL &lt;= 0.28): \( \Delta_{(i)}
     * = \mathrm{sort}(\rho_c)_i - \mathrm{sort}(\rho_r)_i \), losses as {@link Aot} (weights act as
     * a mask).
     *
     * @param beta \( \beta > 0 \), default 0.1 (TRL)
     * @param labelSmoothing \( \varepsilon \in [0, 0.5] \), default 0
     */
    record AotUnpaired(double beta, double labelSmoothing) implements PairwisePolicyObjective {
        /**
         * Validates the components.
         *
         * @param beta see the record description
         * @param labelSmoothing see the record description
         */
        public AotUnpaired {
            LossChecks.positive("aot_unpaired", "beta", beta);
            LossChecks.inRange("aot_unpaired", "labelSmoothing", labelSmoothing, 0, 0.5, false);
        }

        /**
         * {@code beta = 0.1, labelSmoothing = 0.0}.
         *
         * @return the result
         */
        public static AotUnpaired defaults() {
            return new AotUnpaired(0.1, 0.0);
        }

        @Override
        public String name() {
            return "aot_unpaired";
        }

        @Override
        public PairwiseOutput apply(PairLogps logps, NDArray weight, Reduction reduction) {
            return PairwisePolicyLosses.aotUnpaired(logps, this, weight, reduction);
        }
    }

    /**
     * APO-zero (TRL {@code apo_zero}, paper eq. 7): raise the chosen and lower the rejected
     * likelihood, \( \ell = 1 - \sigma(\beta\rho_c) + \sigma(\beta\rho_r) \).
     *
     * @param beta \( \beta > 0 \), default 0.1 (TRL)
     */
    record ApoZero(double beta) implements PairwisePolicyObjective {
        /**
         * Validates the components.
         *
         * @param beta see the record description
         */
        public ApoZero {
            LossChecks.positive("apo_zero", "beta", beta);
        }

        /**
         * {@code beta = 0.1}.
         *
         * @return the result
         */
        public static ApoZero defaults() {
            return new ApoZero(0.1);
        }

        @Override
        public String name() {
            return "apo_zero";
        }

        @Override
        public PairwiseOutput apply(PairLogps logps, NDArray weight, Reduction reduction) {
            return PairwisePolicyLosses.apoZero(logps, this, weight, reduction);
        }
    }

    /**
     * APO-down (TRL {@code apo_down}, paper eq. 8): lower both, the rejected more, \( \ell =
     * \sigma(\beta\rho_c) + 1 - \sigma(\beta(\rho_c - \rho_r)) \).
     *
     * @param beta \( \beta > 0 \), default 0.1 (TRL)
     */
    record ApoDown(double beta) implements PairwisePolicyObjective {
        /**
         * Validates the components.
         *
         * @param beta see the record description
         */
        public ApoDown {
            LossChecks.positive("apo_down", "beta", beta);
        }

        /**
         * {@code beta = 0.1}.
         *
         * @return the result
         */
        public static ApoDown defaults() {
            return new ApoDown(0.1);
        }

        @Override
        public String name() {
            return "apo_down";
        }

        @Override
        public PairwiseOutput apply(PairLogps logps, NDArray weight, Reduction reduction) {
            return PairwisePolicyLosses.apoDown(logps, this, weight, reduction);
        }
    }

    /**
     * DiscoPOP / LRML (TRL {@code discopop}, paper eq. 5): with \( z = \beta(\rho_c - \rho_r) \)
     * and \( m = \sigma(z/\tau) \), \( \ell = (1 - m)\,\mathrm{softplus}(-z) + m\,e^{-z} \) (the
     * exponential term is computed as \( e^{-z - \mathrm{softplus}(-z/\tau)} \), finite for any z).
     *
     * @param beta \( \beta > 0 \), default 0.1 (TRL)
     * @param tau \( \tau > 0 \), default 0.05 (TRL {@code discopop_tau}, paper)
     */
    record DiscoPop(double beta, double tau) implements PairwisePolicyObjective {
        /**
         * Validates the components.
         *
         * @param beta see the record description
         * @param tau see the record description
         */
        public DiscoPop {
            LossChecks.positive("discopop", "beta", beta);
            LossChecks.positive("discopop", "tau", tau);
        }

        /**
         * {@code beta = 0.1, tau = 0.05}.
         *
         * @return the result
         */
        public static DiscoPop defaults() {
            return new DiscoPop(0.1, 0.05);
        }

        @Override
        public String name() {
            return "discopop";
        }

        @Override
        public PairwiseOutput apply(PairLogps logps, NDArray weight, Reduction reduction) {
            return PairwisePolicyLosses.discoPop(logps, this, weight, reduction);
        }
    }

    /**
     * SFT as a pairwise objective (TRL's DPO {@code loss_type = "sft"}): the NLL of the chosen
     * response averaged over the batch's chosen response tokens, \( \ell_b = -B\,\pi_{c,b} /
     * \max(\sum_{b'} n_{c,b'}, 1) \), so an unweighted MEAN is \( -\sum_b \pi_{c,b} / \sum_b
     * n_{c,b} \) (the rejected response is ignored). Logged rewards are the summed policy
     * log-probs. Needs chosen token counts. No hyperparameters.
     */
    record Sft() implements PairwisePolicyObjective {
        @Override
        public String name() {
            return "sft";
        }

        @Override
        public boolean usesReference() {
            return false;
        }

        @Override
        public PairwiseOutput apply(PairLogps logps, NDArray weight, Reduction reduction) {
            return PairwisePolicyLosses.sft(logps, this, weight, reduction);
        }
    }

    /**
     * Several objectives combined with weights (TRL's {@code loss_type} list with {@code
     * loss_weights}, as MPO uses): \( \ell = \sum_k w_k \ell^{(k)} \), so MEAN gives TRL's \(
     * \sum_k w_k\,\mathrm{mean}(\ell^{(k)}) \). Logged rewards are those of the first objective.
     *
     * @param objectives the objectives, at least one, none a {@code WithChosenNll}
     * @param weights one finite weight \( \ge 0 \) per objective (TRL default: all 1)
     */
    record Combination(List<PairwisePolicyObjective> objectives, List<Double> weights)
            implements PairwisePolicyObjective {
        /**
         * Validates and copies the components.
         *
         * @param objectives see the record description
         * @param weights see the record description
         */
        public Combination {
            if (objectives == null
                    || objectives.isEmpty()
                    || objectives.stream().anyMatch(java.util.Objects::isNull)) {
                throw LossChecks.bad(
                        "combined",
                        "objectives are missing",
                        objectives,
                        "expected at least one objective");
            }
            if (weights == null || weights.size() != objectives.size()) {
                throw LossChecks.bad(
                        "combined",
                        "weights do not match the objectives",
                        weights,
                        "expected one weight per objective (" + objectives.size() + ")");
            }
            for (Double w : weights) {
                LossChecks.nonNegative("combined", "weight", w == null ? Double.NaN : w);
            }
            objectives = List.copyOf(objectives);
            weights = List.copyOf(weights);
        }

        /**
         * Equal weights 1 (TRL's default {@code loss_weights}).
         *
         * @param objectives the objectives
         * @return the combination
         */
        public static Combination of(PairwisePolicyObjective... objectives) {
            return new Combination(
                    List.of(objectives), java.util.Collections.nCopies(objectives.length, 1.0));
        }

        @Override
        public String name() {
            StringBuilder b = new StringBuilder("combined(");
            for (int i = 0; i < objectives.size(); i++) {
                b.append(i == 0 ? "" : ",").append(objectives.get(i).name());
            }
            return b.append(')').toString();
        }

        @Override
        public boolean usesReference() {
            return objectives.stream().anyMatch(PairwisePolicyObjective::usesReference);
        }

        @Override
        public boolean usesTails() {
            return objectives.stream().anyMatch(PairwisePolicyObjective::usesTails);
        }

        @Override
        public boolean usesAligned() {
            return objectives.stream().anyMatch(PairwisePolicyObjective::usesAligned);
        }

        @Override
        public PairwiseOutput apply(PairLogps logps, NDArray weight, Reduction reduction) {
            return PairwisePolicyLosses.combination(logps, this, weight, reduction);
        }
    }

    /**
     * WPO (TRL {@code use_weighting}): the base objective's per-pair loss multiplied by the
     * detached weight \( w = \min(e^{a_c + a_r}, w_{max}) \) with \( a \) the aligned per-token
     * mean log-probs of {@link PairLogps#aligned()} (paper eq. 2). TRL &gt;= 0.29 applies no bound
     * ({@code maxWeight = +Infinity}, the default); TRL &lt;= 0.28 clamps the weight at 1 ({@code
     * maxWeight = 1}). Needs {@link PairLogps#aligned()}.
     *
     * @param base the weighted objective (not itself a {@code Wpo})
     * @param maxWeight the bound \( w_{max} > 0 \) (may be infinite)
     */
    record Wpo(PairwisePolicyObjective base, double maxWeight) implements PairwisePolicyObjective {
        /**
         * Validates the components.
         *
         * @param base see the record description
         * @param maxWeight see the record description
         */
        public Wpo {
            if (base == null || base instanceof Wpo) {
                throw LossChecks.bad(
                        "wpo",
                        "base objective is invalid",
                        base == null ? "null" : base.name(),
                        "expected an objective that is not itself WPO-weighted");
            }
            if (!(maxWeight > 0)) {
                throw LossChecks.bad(
                        "wpo", "maxWeight must be > 0", maxWeight, "expected maxWeight > 0");
            }
        }

        /**
         * TRL &gt;= 0.29's weighting of {@code base}: no bound.
         *
         * @param base the weighted objective
         * @return the objective
         */
        public static Wpo of(PairwisePolicyObjective base) {
            return new Wpo(base, Double.POSITIVE_INFINITY);
        }

        @Override
        public String name() {
            return "wpo(" + base.name() + ")";
        }

        @Override
        public boolean usesReference() {
            return base.usesReference();
        }

        @Override
        public boolean usesTails() {
            return base.usesTails();
        }

        @Override
        public boolean usesAligned() {
            return true;
        }

        @Override
        public PairwiseOutput apply(PairLogps logps, NDArray weight, Reduction reduction) {
            return PairwisePolicyLosses.wpo(logps, this, weight, reduction);
        }
    }

    /**
     * LD-DPO (TRL {@code ld_alpha}): the base objective on length-desensitised log-probs \( \log\pi
     * = \log\pi_{shared} + \alpha\log\pi_{tail} \), where the tail is a pair's response tokens past
     * the shorter response's length ({@link PairLogps#tails()}); applied to policy and reference
     * alike. Token counts are unchanged. Needs {@link PairLogps#tails()}.
     *
     * @param base the objective on the adjusted log-probs
     * @param alpha \( \alpha \in [0, 1] \) (1 = the base objective unchanged)
     */
    record LengthDesensitized(PairwisePolicyObjective base, double alpha)
            implements PairwisePolicyObjective {
        /**
         * Validates the components.
         *
         * @param base see the record description
         * @param alpha see the record description
         */
        public LengthDesensitized {
            if (base == null || base instanceof LengthDesensitized) {
                throw LossChecks.bad(
                        "ld",
                        "base objective is invalid",
                        base == null ? "null" : base.name(),
                        "expected an objective that is not itself length-desensitised");
            }
            LossChecks.inRange("ld", "alpha", alpha, 0, 1, false);
        }

        @Override
        public String name() {
            return base.name() + "+ld";
        }

        @Override
        public boolean usesReference() {
            return base.usesReference();
        }

        @Override
        public boolean usesTails() {
            return true;
        }

        @Override
        public boolean usesAligned() {
            return base.usesAligned();
        }

        @Override
        public PairwiseOutput apply(PairLogps logps, NDArray weight, Reduction reduction) {
            return PairwisePolicyLosses.lengthDesensitized(logps, this, weight, reduction);
        }
    }

    /**
     * Any objective plus \( \alpha \cdot \mathrm{nll}_b \) on the chosen sequence (token
     * normalisation per {@link NllNormalization}, tokens per {@link NllTokens}). Needs chosen token
     * counts (and the chosen prompt's log-probs for {@link NllTokens#PROMPT_AND_RESPONSE}).
     *
     * @param base the preference objective (not itself a {@code WithChosenNll})
     * @param coefficient \( \alpha > 0 \), e.g. 1.0 (CPO {@code cpo_alpha}, ORPO)
     * @param normalization how the NLL is averaged over tokens
     * @param tokens which tokens of the chosen sequence the NLL covers
     */
    record WithChosenNll(
            PairwisePolicyObjective base,
            double coefficient,
            NllNormalization normalization,
            NllTokens tokens)
            implements PairwisePolicyObjective {
        /**
         * Validates the components.
         *
         * @param base see the record description
         * @param coefficient see the record description
         * @param normalization see the record description
         * @param tokens see the record description
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
            if (normalization == null || tokens == null) {
                throw LossChecks.bad(
                        "nll",
                        "normalization or tokens is missing",
                        "null",
                        "expected an NllNormalization and NllTokens");
            }
        }

        /**
         * The NLL over the chosen response's tokens ({@link NllTokens#RESPONSE}).
         *
         * @param base see the record description
         * @param coefficient see the record description
         * @param normalization see the record description
         */
        public WithChosenNll(
                PairwisePolicyObjective base, double coefficient, NllNormalization normalization) {
            this(base, coefficient, normalization, NllTokens.RESPONSE);
        }

        /**
         * A copy with another token normalisation.
         *
         * @param n the token normalisation
         * @return the combined objective
         */
        public WithChosenNll withNormalization(NllNormalization n) {
            return new WithChosenNll(base, coefficient, n, tokens);
        }

        /**
         * A copy whose NLL covers other tokens of the chosen sequence.
         *
         * @param t the tokens
         * @return the combined objective
         */
        public WithChosenNll withTokens(NllTokens t) {
            return new WithChosenNll(base, coefficient, normalization, t);
        }

        @Override
        public WithChosenNll withChosenNll(double c) {
            return new WithChosenNll(base, c, normalization, tokens);
        }

        @Override
        public String name() {
            return base.name() + "+nll";
        }

        @Override
        public boolean usesReference() {
            return base.usesReference();
        }

        @Override
        public boolean usesTails() {
            return base.usesTails();
        }

        @Override
        public boolean usesAligned() {
            return base.usesAligned();
        }

        @Override
        public PairwiseOutput apply(PairLogps logps, NDArray weight, Reduction reduction) {
            return PairwisePolicyLosses.withChosenNll(logps, this, weight, reduction);
        }
    }
}
