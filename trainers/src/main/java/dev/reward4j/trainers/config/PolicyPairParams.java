package dev.reward4j.trainers.config;

import dev.reward4j.losses.NllNormalization;
import dev.reward4j.losses.NllTokens;
import dev.reward4j.losses.PairwisePolicyObjective;
import dev.reward4j.losses.PairwisePolicyObjective.FDivergence;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * Keys of the pairwise policy objectives whose loss is not a single flat record of {@code
 * dev.reward4j.losses}: ORPO and CPO as TRL trains them (preference term plus the chosen NLL),
 * f-DPO (a divergence) and weighted combinations (TRL's {@code loss_type} list with {@code
 * loss_weights}, and its {@code use_weighting} / {@code ld_alpha} options). Each record is the
 * {@code objective:} section's keys besides {@code type} and builds its loss. Every default is read
 * from the loss records' {@code defaults()} / {@code trl()} in {@code dev.reward4j.losses}; none is
 * repeated here.
 */
public sealed interface PolicyPairParams
        permits PolicyPairParams.Orpo,
                PolicyPairParams.Cpo,
                PolicyPairParams.FDpo,
                PolicyPairParams.Combined {
    /** The loss these keys describe. */
    PairwisePolicyObjective toLoss();

    /** The {@code objective.type} these keys belong to ({@code orpo}, {@code cpo}, ...). */
    String type();

    /**
     * Adds the chosen NLL with TRL's normalisation (token mean over the micro-batch's chosen
     * sequences) over {@code tokens}.
     */
    private static PairwisePolicyObjective withNll(
            PairwisePolicyObjective base, double weight, NllTokens tokens) {
        return weight == 0
                ? base
                : base.withChosenNll(weight)
                        .withNormalization(NllNormalization.BATCH_TOKEN_MEAN)
                        .withTokens(tokens);
    }

    /**
     * ORPO (arXiv 2403.07691): \( \mathcal L_{SFT} + \lambda \mathcal L_{OR} \) as TRL's {@code
     * ORPOTrainer}, whose NLL averages over the chosen sequences' prompt and response tokens.
     *
     * @param beta \( \lambda \) of the odds-ratio term, {@code > 0}
     * @param nllWeight weight of the chosen NLL \( \mathcal L_{SFT} \), {@code >= 0}; 0 trains the
     *     odds-ratio term alone
     * @param nllTokens {@code prompt-and-response} (TRL) or {@code response}
     */
    record Orpo(double beta, double nllWeight, String nllTokens) implements PolicyPairParams {
        /** Validates the values. */
        public Orpo {
            Require.positive(beta, "beta");
            Require.nonNegative(nllWeight, "nll_weight");
            tokens(nllTokens);
        }

        /** The defaults of {@code PairwisePolicyObjective.Orpo.trl()}. */
        public static Orpo defaults() {
            PairwisePolicyObjective.WithChosenNll trl = PairwisePolicyObjective.Orpo.trl();
            return new Orpo(
                    ((PairwisePolicyObjective.Orpo) trl.base()).beta(),
                    trl.coefficient(),
                    name(trl.tokens()));
        }

        @Override
        public String type() {
            return "orpo";
        }

        @Override
        public PairwisePolicyObjective toLoss() {
            return withNll(new PairwisePolicyObjective.Orpo(beta), nllWeight, tokens(nllTokens));
        }
    }

    /**
     * CPO (arXiv 2401.08417): reference-free preference term plus \( \alpha \) times the chosen
     * response's NLL, as TRL's {@code CPOTrainer} ({@code cpo_alpha}), with AlphaPO's reward shape
     * ({@code alpha}).
     *
     * @param beta \( \beta > 0 \)
     * @param labelSmoothing \( \varepsilon \in [0, 0.5] \)
     * @param alpha AlphaPO's reward-shape parameter (TRL {@code CPOConfig.alpha}); 0 = plain CPO
     * @param nllWeight \( \alpha \ge 0 \) of the NLL (TRL {@code cpo_alpha}); 0 trains the
     *     preference term alone
     */
    record Cpo(double beta, double labelSmoothing, double alpha, double nllWeight)
            implements PolicyPairParams {
        /** Validates the values. */
        public Cpo {
            Require.positive(beta, "beta");
            if (!(labelSmoothing >= 0 && labelSmoothing <= 0.5)) {
                throw new IllegalArgumentException(
                        "label_smoothing: expected a number in [0, 0.5] (got "
                                + Require.fmt(labelSmoothing)
                                + ")");
            }
            if (!Double.isFinite(alpha)) {
                throw new IllegalArgumentException(
                        "alpha: expected a finite number (got " + Require.fmt(alpha) + ")");
            }
            Require.nonNegative(nllWeight, "nll_weight");
        }

        /** The defaults of {@code PairwisePolicyObjective.Cpo.trl()}. */
        public static Cpo defaults() {
            PairwisePolicyObjective.WithChosenNll trl = PairwisePolicyObjective.Cpo.trl();
            PairwisePolicyObjective.Cpo base = (PairwisePolicyObjective.Cpo) trl.base();
            return new Cpo(base.beta(), base.labelSmoothing(), base.alpha(), trl.coefficient());
        }

        @Override
        public String type() {
            return "cpo";
        }

        @Override
        public PairwisePolicyObjective toLoss() {
            return withNll(
                    new PairwisePolicyObjective.Cpo(beta, labelSmoothing, alpha),
                    nllWeight,
                    NllTokens.RESPONSE);
        }
    }

    /**
     * f-DPO (arXiv 2309.16240) with a named divergence.
     *
     * @param beta \( \beta > 0 \)
     * @param divergence {@code reverse-kl} (= DPO), {@code forward-kl}, {@code js}, {@code alpha}
     *     (the paper's and TRL &lt;= 0.28's form) or {@code alpha-power} (TRL &gt;= 0.29's form)
     * @param alpha the coefficient of {@code alpha} or {@code alpha-power}; null = that form's
     *     default (1.0 resp. 0.5)
     */
    record FDpo(double beta, String divergence, Double alpha) implements PolicyPairParams {
        static final List<String> DIVERGENCES =
                List.of("reverse-kl", "forward-kl", "js", "alpha", "alpha-power");

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
            if (alpha != null && !divergence.startsWith("alpha")) {
                throw new IllegalArgumentException(
                        "alpha: only used with divergence alpha or alpha-power (got divergence '"
                                + divergence
                                + "'); remove the key");
            }
            if (alpha != null) {
                Require.positive(alpha, "alpha");
            }
        }

        /** The defaults of {@code PairwisePolicyObjective.FDpo.defaults()}. */
        public static FDpo defaults() {
            PairwisePolicyObjective.FDpo d = PairwisePolicyObjective.FDpo.defaults();
            return new FDpo(d.beta(), d.divergence().name(), null);
        }

        @Override
        public String type() {
            return "f-dpo";
        }

        @Override
        public PairwisePolicyObjective toLoss() {
            FDivergence d =
                    switch (divergence) {
                        case "forward-kl" -> new FDivergence.ForwardKl();
                        case "js" -> new FDivergence.JensenShannon();
                        case "alpha" ->
                                alpha == null
                                        ? FDivergence.Alpha.defaults()
                                        : new FDivergence.Alpha(alpha);
                        case "alpha-power" ->
                                alpha == null
                                        ? FDivergence.AlphaPower.defaults()
                                        : new FDivergence.AlphaPower(alpha);
                        default -> new FDivergence.ReverseKl();
                    };
            return new PairwisePolicyObjective.FDpo(beta, d);
        }
    }

    /**
     * Several DPO-family losses combined with weights, as TRL's {@code loss_type} list with {@code
     * loss_weights} (MPO: {@code [sigmoid, bco_pair, sft]} with {@code [0.8, 0.2, 1.0]}). Each
     * listed loss takes this section's {@code beta} and its other defaults.
     *
     * @param lossType TRL names: {@code sigmoid}, {@code hinge}, {@code ipo}, {@code robust},
     *     {@code exo_pair}, {@code nca_pair}, {@code bco_pair}, {@code sppo_hard}, {@code aot},
     *     {@code aot_unpaired}, {@code apo_zero}, {@code apo_down}, {@code discopop}, {@code sft}
     * @param lossWeights one weight {@code >= 0} per loss; null = all 1 (TRL)
     * @param beta \( \beta > 0 \) of every listed loss
     * @param useWeighting WPO (TRL {@code use_weighting}): weight each pair's loss by its detached
     *     aligned likelihood (unbounded, as TRL &gt;= 0.29); default false
     * @param ldAlpha LD-DPO (TRL {@code ld_alpha}) in [0, 1], or null (off, the default): response
     *     tokens past the shorter response of a pair count with this factor
     */
    record Combined(
            List<String> lossType,
            List<Double> lossWeights,
            double beta,
            boolean useWeighting,
            Double ldAlpha)
            implements PolicyPairParams {
        static final List<String> TYPES =
                List.of(
                        "sigmoid",
                        "hinge",
                        "ipo",
                        "robust",
                        "exo_pair",
                        "nca_pair",
                        "bco_pair",
                        "sppo_hard",
                        "aot",
                        "aot_unpaired",
                        "apo_zero",
                        "apo_down",
                        "discopop",
                        "sft");

        /** Validates the values. */
        public Combined {
            Require.positive(beta, "beta");
            if (lossType == null || lossType.isEmpty()) {
                throw new IllegalArgumentException(
                        "loss_type: expected a non-empty list of "
                                + TYPES
                                + " (got "
                                + lossType
                                + ")");
            }
            for (String t : lossType) {
                if (!TYPES.contains(t)) {
                    throw new IllegalArgumentException(
                            "loss_type: expected names from " + TYPES + " (got '" + t + "')");
                }
            }
            if (lossWeights != null && lossWeights.size() != lossType.size()) {
                throw new IllegalArgumentException(
                        "loss_weights: expected one weight per loss_type entry ("
                                + lossType.size()
                                + ") (got "
                                + lossWeights.size()
                                + ")");
            }
            if (lossWeights != null) {
                for (Double w : lossWeights) {
                    Require.nonNegative(w == null ? Double.NaN : w, "loss_weights");
                }
            }
            if (ldAlpha != null && !(ldAlpha >= 0 && ldAlpha <= 1)) {
                throw new IllegalArgumentException(
                        "ld_alpha: expected a number in [0, 1] (got " + Require.fmt(ldAlpha) + ")");
            }
            lossType = List.copyOf(lossType);
            lossWeights = lossWeights == null ? null : List.copyOf(lossWeights);
        }

        /**
         * MPO's combination with {@code beta} of {@code PairwisePolicyObjective.Dpo.defaults()}.
         */
        public static Combined defaults() {
            return new Combined(
                    List.of("sigmoid", "bco_pair", "sft"),
                    List.of(0.8, 0.2, 1.0),
                    PairwisePolicyObjective.Dpo.defaults().beta(),
                    false,
                    null);
        }

        @Override
        public String type() {
            return "combined";
        }

        @Override
        public PairwisePolicyObjective toLoss() {
            List<PairwisePolicyObjective> parts = new ArrayList<>();
            for (String t : lossType) {
                parts.add(loss(t, beta));
            }
            PairwisePolicyObjective loss =
                    new PairwisePolicyObjective.Combination(
                            parts,
                            lossWeights == null
                                    ? Collections.nCopies(parts.size(), 1.0)
                                    : lossWeights);
            if (useWeighting) {
                loss = PairwisePolicyObjective.Wpo.of(loss);
            }
            return ldAlpha == null
                    ? loss
                    : new PairwisePolicyObjective.LengthDesensitized(loss, ldAlpha);
        }

        /** One TRL loss type with {@code beta} and the record's other defaults. */
        private static PairwisePolicyObjective loss(String type, double beta) {
            return switch (type) {
                case "hinge" -> new PairwisePolicyObjective.Hinge(beta);
                case "ipo" -> new PairwisePolicyObjective.Ipo(beta);
                case "robust" ->
                        new PairwisePolicyObjective.RobustDpo(
                                beta, PairwisePolicyObjective.RobustDpo.defaults().epsilon());
                case "exo_pair" ->
                        new PairwisePolicyObjective.ExoPair(
                                beta, PairwisePolicyObjective.ExoPair.defaults().epsilon());
                case "nca_pair" -> new PairwisePolicyObjective.NcaPair(beta);
                case "bco_pair" -> new PairwisePolicyObjective.BcoPair(beta);
                case "sppo_hard" -> new PairwisePolicyObjective.SppoHard(beta);
                case "aot" ->
                        new PairwisePolicyObjective.Aot(
                                beta, PairwisePolicyObjective.Aot.defaults().labelSmoothing());
                case "aot_unpaired" ->
                        new PairwisePolicyObjective.AotUnpaired(
                                beta,
                                PairwisePolicyObjective.AotUnpaired.defaults().labelSmoothing());
                case "apo_zero" -> new PairwisePolicyObjective.ApoZero(beta);
                case "apo_down" -> new PairwisePolicyObjective.ApoDown(beta);
                case "discopop" ->
                        new PairwisePolicyObjective.DiscoPop(
                                beta, PairwisePolicyObjective.DiscoPop.defaults().tau());
                case "sft" -> new PairwisePolicyObjective.Sft();
                default -> new PairwisePolicyObjective.Dpo(beta);
            };
        }
    }

    /** {@code prompt-and-response} / {@code response} to {@link NllTokens}. */
    private static NllTokens tokens(String name) {
        for (NllTokens t : NllTokens.values()) {
            if (name(t).equals(name)) {
                return t;
            }
        }
        throw new IllegalArgumentException(
                "nll_tokens: expected prompt-and-response or response (got '" + name + "')");
    }

    private static String name(NllTokens t) {
        return t.name().toLowerCase(Locale.ROOT).replace("_", "-");
    }
}
