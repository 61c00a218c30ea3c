package dev.reward4j.losses;

import static dev.reward4j.losses.Numerics.scalar;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Reward-model objectives on scalar rewards: the Bradley-Terry family over pairs ({@link
 * RewardModelObjective}) and masked multi-attribute regression.
 *
 * <p><b>Shapes.</b> Rewards, margins, probabilities, ties and weights are {@code (B)} floating
 * arrays (pair b = (chosen b, rejected b)). Every result is attached to the manager of {@code
 * pair.chosen()} (or {@code predictions}). Diagnostics: {@code chosenReward = r_c}, {@code
 * rejectedReward = r_r}, {@code margin = r_c - r_r}, {@code accuracy = [r_c > r_r]}.
 *
 * <p><b>Numerics.</b> Every \( -\log\sigma(x) \) is computed as {@code softplus(-x)} (libtorch
 * softplus, linear above 20), never as {@code log(sigmoid(x))}.
 *
 * <p><b>References.</b> "Rank Analysis of Incomplete Block Designs: I. The Method of Paired
 * Comparisons", Biometrika 1952. Margin: "Llama 2: Open Foundation and Fine-Tuned Chat Models",
 * arXiv 2307.09288, eq. 2. Centering: "Helping or Herding? Reward Model Ensembles Mitigate but do
 * not Eliminate Reward Hacking", arXiv 2312.09244. Direct reward: "Advancing LLM Reasoning
 * Generalists with Preference Trees" (Eurus), arXiv 2404.02078, eq. 2. Scaled BT:
 * "HelpSteer2-Preference: Complementing Ratings with Preferences", arXiv 2410.01257. Ties: "Ties in
 * Paired-Comparison Experiments: A Generalization of the Bradley-Terry Model", JASA 1967; "On
 * Extending Direct Preference Optimization to Accommodate Ties", arXiv 2409.17431. Regression:
 * "HelpSteer2: Open-source dataset for training top-performing reward models", arXiv 2406.08673.
 */
public final class RewardModelLosses {
    private RewardModelLosses() {}

    /**
     * Bradley-Terry loss with optional margin \( m \) ({@code pair.margin()}, 0 when null), label
     * smoothing \( \varepsilon \) and reward centering \( c \): \( \ell_b =
     * (1-\varepsilon)\,\mathrm{softplus}(-(d_b - m_b)) + \varepsilon\,\mathrm{softplus}(d_b - m_b)
     * + c\,(r_{c,b} + r_{r,b})^2 \), \( d_b = r_{c,b} - r_{r,b} \). With \( \varepsilon = c = 0 \)
     * and MEAN this is TRL's RewardTrainer loss; the centering term per pair averages to TRL's
     * {@code c * mean((r_c + r_r)^2)}.
     *
     * @param pair rewards {@code (B)}, optional margin {@code (B)}
     * @param objective hyperparameters
     * @param weight optional {@code (B)} example weights, or null
     * @param reduction reduction over pairs
     * @return loss and diagnostics, attached to the manager of {@code pair.chosen()}
     */
    public static PairwiseOutput bradleyTerry(
            RewardPair pair,
            RewardModelObjective.BradleyTerry objective,
            NDArray weight,
            Reduction reduction) {
        String c = objective.name();
        NDArray d = marginDifference(c, pair, weight);
        double eps = objective.labelSmoothing();
        NDArray loss = Numerics.negLogSigmoid(d);
        if (eps > 0) {
            loss =
                    loss.mul(scalar(pair.chosen(), 1 - eps))
                            .add(Numerics.softPlus(d).mul(scalar(pair.chosen(), eps)));
        }
        if (objective.centeringCoefficient() > 0) {
            loss =
                    loss.add(
                            pair.chosen()
                                    .add(pair.rejected())
                                    .square()
                                    .mul(scalar(pair.chosen(), objective.centeringCoefficient())));
        }
        return PairwiseOutput.of(loss, pair.chosen(), pair.rejected(), weight, reduction);
    }

    /**
     * BT plus the Eurus direct-reward term: \( \ell_b = \mathrm{softplus}(-(r_c - r_r - m)) +
     * \kappa\,[\mathrm{softplus}(-r_c) + \mathrm{softplus}(r_r)] \) (the paper: \( -\log\sigma(r_c
     * - r_r) - \log\sigma(r_c) - \log\sigma(-r_r) \), \( \kappa = 1 \)).
     *
     * @param pair rewards {@code (B)}, optional margin {@code (B)} (0 when null)
     * @param objective hyperparameters
     * @param weight optional {@code (B)} example weights, or null
     * @param reduction reduction over pairs
     * @return loss and diagnostics, attached to the manager of {@code pair.chosen()}
     */
    public static PairwiseOutput btDirectReward(
            RewardPair pair,
            RewardModelObjective.BtDirectReward objective,
            NDArray weight,
            Reduction reduction) {
        String c = objective.name();
        NDArray d = marginDifference(c, pair, weight);
        NDArray direct =
                Numerics.negLogSigmoid(pair.chosen()).add(Numerics.softPlus(pair.rejected()));
        NDArray loss =
                Numerics.negLogSigmoid(d)
                        .add(direct.mul(scalar(pair.chosen(), objective.directCoefficient())));
        return PairwiseOutput.of(loss, pair.chosen(), pair.rejected(), weight, reduction);
    }

    /**
     * HelpSteer2-Preference scaled BT: \( \ell_b = |s_b|\,\mathrm{softplus}(-(r_{c,b} - r_{r,b}))
     * \) with the preference strength \( s \) in {@code pair.margin()} (required; the sign is
     * ignored).
     *
     * @param pair rewards {@code (B)} and strength {@code (B)} in {@code margin}
     * @param weight optional {@code (B)} example weights, or null
     * @param reduction reduction over pairs
     * @return loss and diagnostics, attached to the manager of {@code pair.chosen()}
     */
    public static PairwiseOutput scaledBt(RewardPair pair, NDArray weight, Reduction reduction) {
        String c = "scaled-bt";
        Shape s = checkPair(c, pair, weight);
        LossChecks.required(c, "pair.margin (preference strength)", pair.margin(), "of shape (B)");
        NDArray strength =
                LossChecks.optional(
                        c,
                        "pair.margin",
                        pair.margin(),
                        "pair.chosen",
                        s,
                        pair.chosen().getDataType());
        NDArray loss =
                Numerics.negLogSigmoid(pair.chosen().sub(pair.rejected()))
                        .mul(strength.stopGradient().abs());
        return PairwiseOutput.of(loss, pair.chosen(), pair.rejected(), weight, reduction);
    }

    /**
     * Soft-label BT (cross-entropy against a target preference probability): \( \ell_b =
     * p_b\,\mathrm{softplus}(-d_b) + (1-p_b)\,\mathrm{softplus}(d_b) \), \( d_b = r_{c,b} - r_{r,b}
     * \). With \( p = 1 \) this is BT; with constant \( p = 1 - \varepsilon \) it is label-smoothed
     * BT. Values of \( p \) are not range-checked (that would need a host sync).
     *
     * @param pair rewards {@code (B)} and {@code probability} {@code (B)} (required)
     * @param weight optional {@code (B)} example weights, or null
     * @param reduction reduction over pairs
     * @return loss and diagnostics, attached to the manager of {@code pair.chosen()}
     */
    public static PairwiseOutput softLabelBt(RewardPair pair, NDArray weight, Reduction reduction) {
        String c = "soft-bt";
        Shape s = checkPair(c, pair, weight);
        LossChecks.required(c, "pair.probability", pair.probability(), "of shape (B)");
        NDArray p =
                LossChecks.optional(
                                c,
                                "pair.probability",
                                pair.probability(),
                                "pair.chosen",
                                s,
                                pair.chosen().getDataType())
                        .stopGradient();
        NDArray d = pair.chosen().sub(pair.rejected());
        NDArray loss =
                Numerics.negLogSigmoid(d)
                        .mul(p)
                        .add(Numerics.softPlus(d).mul(p.neg().add(scalar(pair.chosen(), 1))));
        return PairwiseOutput.of(loss, pair.chosen(), pair.rejected(), weight, reduction);
    }

    /**
     * Rao-Kupper BT with ties. With \( d = r_c - r_r \), \( \nu = \log\theta \), \( t \in \{0,1\}
     * \) the tie indicator: \( P(c \succ r) = \sigma(d - \nu) \) and \( P(\text{tie}) = (\theta^2 -
     * 1) e^{d} / ((e^{d} + \theta)(1 + \theta e^{d})) \), so \( \ell = (1-t)\,\mathrm{softplus}(\nu
     * - d) + t\,[-\log(e^{2\nu}-1) + \nu - d + \mathrm{softplus}(d-\nu) + \mathrm{softplus}(d+\nu)]
     * \). \( \log(e^{2\nu}-1) \) is computed on the host in double precision.
     *
     * @param pair rewards {@code (B)} and {@code tie} {@code (B)} (required, 0/1)
     * @param objective hyperparameters
     * @param weight optional {@code (B)} example weights, or null
     * @param reduction reduction over pairs
     * @return loss and diagnostics, attached to the manager of {@code pair.chosen()}
     */
    public static PairwiseOutput raoKupper(
            RewardPair pair,
            RewardModelObjective.RaoKupper objective,
            NDArray weight,
            Reduction reduction) {
        String c = objective.name();
        Shape s = checkPair(c, pair, weight);
        LossChecks.required(c, "pair.tie", pair.tie(), "of shape (B) with 0/1 entries");
        NDArray t =
                LossChecks.optional(
                                c,
                                "pair.tie",
                                pair.tie(),
                                "pair.chosen",
                                s,
                                pair.chosen().getDataType())
                        .stopGradient();
        double nu = objective.logTheta();
        double logThetaSqMinus1 = 2 * nu + Math.log(-Math.expm1(-2 * nu));
        NDArray d = pair.chosen().sub(pair.rejected());
        NDArray win = Numerics.softPlus(d.neg().add(scalar(pair.chosen(), nu)));
        NDArray tie =
                Numerics.softPlus(d.sub(scalar(pair.chosen(), nu)))
                        .add(Numerics.softPlus(d.add(scalar(pair.chosen(), nu))))
                        .sub(d)
                        .add(scalar(pair.chosen(), nu - logThetaSqMinus1));
        NDArray loss = win.mul(t.neg().add(scalar(pair.chosen(), 1))).add(tie.mul(t));
        return PairwiseOutput.of(loss, pair.chosen(), pair.rejected(), weight, reduction);
    }

    /**
     * Masked multi-attribute regression (HelpSteer2 / NeMo-Aligner regression reward model): mean
     * squared error over the present ratings, \( L = \sum_{b,k} w_b M_{bk} (\hat y_{bk} - y_{bk})^2
     * / \sum_{b,k} w_b M_{bk} \) for MEAN (0 when nothing is present), the numerator for SUM, and
     * the weighted masked squared errors {@code (B, K)} for NONE. The mean is over present ratings
     * (NeMo-Aligner's {@code mse_loss(out[mask], label[mask])}), not a mean of per-example means.
     *
     * @param predictions predicted attribute scores {@code (B, K)} (differentiable)
     * @param targets ratings {@code (B, K)}; values at missing positions are ignored (may be any
     *     finite number)
     * @param targetMask {@code (B, K)} 1 where the rating is present, or null (all present)
     * @param weight optional {@code (B)} example weights, or null
     * @param reduction reduction over present ratings
     * @return loss and diagnostics, attached to the manager of {@code predictions}
     */
    public static RegressionOutput multiAttributeRegression(
            NDArray predictions,
            NDArray targets,
            NDArray targetMask,
            NDArray weight,
            Reduction reduction) {
        String c = "regression";
        LossChecks.floating(c, "predictions", predictions, 2, "(B, K)");
        Shape s = predictions.getShape();
        LossChecks.floating(c, "targets", targets);
        LossChecks.sameShape(c, "targets", targets, "predictions", s);
        LossChecks.sameDtype(c, "targets", targets, "predictions", predictions);
        NDArray mask =
                LossChecks.optional(
                        c, "targetMask", targetMask, "predictions", s, predictions.getDataType());
        LossChecks.optional(
                c,
                "weight",
                weight,
                "predictions rows",
                new Shape(s.get(0)),
                predictions.getDataType());
        NDArray err = predictions.sub(targets.stopGradient()).square();
        NDArray m = mask == null ? predictions.onesLike().stopGradient() : mask.stopGradient();
        NDArray w = weight == null ? m : m.mul(weight.stopGradient().reshape(s.get(0), 1));
        NDArray masked = err.mul(m);
        NDArray loss = reduction.reduce(err, w);
        NDArray perExample = Numerics.divByCount(masked.sum(new int[] {1}), m.sum(new int[] {1}));
        return new RegressionOutput(loss, masked.stopGradient(), perExample.stopGradient());
    }

    /** Validates the pair and returns \( r_c - r_r - m \) (m = 0 without a margin). */
    private static NDArray marginDifference(String c, RewardPair pair, NDArray weight) {
        Shape s = checkPair(c, pair, weight);
        NDArray margin =
                LossChecks.optional(
                        c,
                        "pair.margin",
                        pair.margin(),
                        "pair.chosen",
                        s,
                        pair.chosen().getDataType());
        NDArray d = pair.chosen().sub(pair.rejected());
        return margin == null ? d : d.sub(margin.stopGradient());
    }

    private static Shape checkPair(String c, RewardPair pair, NDArray weight) {
        LossChecks.required(
                c, "pair", null == pair ? null : pair.chosen(), "pair.chosen of shape (B)");
        LossChecks.floating(c, "pair.chosen", pair.chosen(), 1, "(B): one scalar reward per pair");
        Shape s = pair.chosen().getShape();
        LossChecks.floating(c, "pair.rejected", pair.rejected());
        LossChecks.sameShape(c, "pair.rejected", pair.rejected(), "pair.chosen", s);
        LossChecks.sameDtype(c, "pair.rejected", pair.rejected(), "pair.chosen", pair.chosen());
        LossChecks.optional(c, "weight", weight, "pair.chosen", s, pair.chosen().getDataType());
        return s;
    }
}
