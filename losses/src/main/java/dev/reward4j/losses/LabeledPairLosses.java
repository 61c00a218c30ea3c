package dev.reward4j.losses;

import static dev.reward4j.losses.PairInputs.c;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Pairwise policy objectives with a per-pair label (soft preference, iREPO, MM-DPO dynamic beta,
 * CREAM). Notation as in {@link LabeledPairObjective}.
 *
 * <p><b>Shapes.</b> Every input is {@code (B)}; labels are constants of the policy dtype. Results
 * are attached to the manager of {@code logps.policyChosen()}.
 *
 * <p><b>Normalisation.</b> Summed response log-probs (as DPO).
 *
 * <p><b>Numerics.</b> \( -\log\sigma(x) \) = {@code softplus(-x)}; iREPO's target logit is computed
 * from the clipped probability as {@code log(p) - log(1 - p)}; MM-DPO's \( e^{-k\delta} \) is
 * capped at the dtype's exponent limit for negative margins.
 *
 * <p><b>References.</b> "Online Self-Preferring Language Models", arXiv 2405.14103 (soft-preference
 * cross-entropy). "iREPO: implicit Reward Pairwise Difference based Empirical Preference
 * Optimization", arXiv 2405.15230. "MM-RLHF: The Next Step Forward in Multimodal LLM Alignment",
 * arXiv 2502.10391 (MM-DPO, dynamic reward scaling). "CREAM: Consistency Regularized Self-Rewarding
 * Language Models", arXiv 2410.12735.
 */
public final class LabeledPairLosses {
    private LabeledPairLosses() {}

    /**
     * Soft-label cross-entropy \( -p\log\sigma(z) - (1-p)\log\sigma(-z) \), shared by {@link
     * LabeledPairObjective.SoftPreference} (p = preference strength) and {@link
     * LabeledPairObjective.ConsistencyDpo} (p = consistency rate).
     *
     * @param objective the record (name and label meaning)
     * @param beta \( \beta \)
     * @param logps sequence log-probs {@code (B)}
     * @param label p {@code (B)} in [0, 1]
     * @param weight optional pair weights
     * @param reduction reduction over pairs
     * @return loss and diagnostics
     */
    static PairwiseOutput softPreference(
            LabeledPairObjective objective,
            double beta,
            PairLogps logps,
            NDArray label,
            NDArray weight,
            Reduction reduction) {
        String n = objective.name();
        Shape s = PairInputs.check(n, logps, weight, false);
        NDArray p = PairInputs.label(n, objective.labelMeaning(), label, logps, s);
        probability(n, p);
        NDArray rc = PairInputs.rhoChosen(logps).mul(c(logps.policyChosen(), beta));
        NDArray rr = PairInputs.rhoRejected(logps).mul(c(logps.policyChosen(), beta));
        NDArray z = rc.sub(rr);
        NDArray loss =
                Numerics.negLogSigmoid(z)
                        .mul(p)
                        .add(Numerics.softPlus(z).mul(p.neg().add(c(p, 1))));
        return PairwiseOutput.of(loss, rc, rr, weight, reduction);
    }

    /**
     * iREPO (see {@link LabeledPairObjective.Irepo}).
     *
     * @param objective the objective
     * @param logps sequence log-probs {@code (B)}
     * @param label empirical preference {@code (B)} in [0, 1]
     * @param weight optional pair weights
     * @param reduction reduction over pairs
     * @return loss and diagnostics
     */
    static PairwiseOutput irepo(
            LabeledPairObjective.Irepo objective,
            PairLogps logps,
            NDArray label,
            NDArray weight,
            Reduction reduction) {
        String n = objective.name();
        Shape s = PairInputs.check(n, logps, weight, false);
        NDArray p = PairInputs.label(n, objective.labelMeaning(), label, logps, s);
        probability(n, p);
        double eps = objective.epsilon();
        NDArray clipped = p.maximum(c(p, eps)).minimum(c(p, 1 - eps));
        NDArray target = clipped.log().sub(clipped.neg().add(c(p, 1)).log());
        NDArray b = c(logps.policyChosen(), objective.beta());
        NDArray rc = PairInputs.rhoChosen(logps).mul(b);
        NDArray rr = PairInputs.rhoRejected(logps).mul(b);
        NDArray e = rc.sub(rr).sub(target);
        return PairwiseOutput.of(e.mul(e), rc, rr, weight, reduction);
    }

    /**
     * MM-DPO (see {@link LabeledPairObjective.DynamicBetaDpo}).
     *
     * @param objective the objective
     * @param logps sequence log-probs {@code (B)}
     * @param label reward margin {@code (B)}
     * @param weight optional pair weights
     * @param reduction reduction over pairs
     * @return loss and diagnostics
     */
    static PairwiseOutput dynamicBeta(
            LabeledPairObjective.DynamicBetaDpo objective,
            PairLogps logps,
            NDArray label,
            NDArray weight,
            Reduction reduction) {
        String n = objective.name();
        Shape s = PairInputs.check(n, logps, weight, false);
        NDArray delta = PairInputs.label(n, objective.labelMeaning(), label, logps, s);
        NDArray decay = Numerics.cappedExp(delta.mul(c(delta, -objective.k())));
        NDArray betaI =
                decay.neg()
                        .add(c(delta, 1))
                        .mul(c(delta, objective.w()))
                        .add(c(delta, 1))
                        .mul(c(delta, objective.beta()));
        NDArray rc = PairInputs.rhoChosen(logps).mul(betaI);
        NDArray rr = PairInputs.rhoRejected(logps).mul(betaI);
        return PairwiseOutput.of(Numerics.negLogSigmoid(rc.sub(rr)), rc, rr, weight, reduction);
    }

    private static void probability(String n, NDArray p) {
        double min = p.min().toType(ai.djl.ndarray.types.DataType.FLOAT64, false).getDouble();
        double max = p.max().toType(ai.djl.ndarray.types.DataType.FLOAT64, false).getDouble();
        if (!(min >= 0 && max <= 1)) {
            throw LossChecks.bad(
                    n,
                    "label is not a probability",
                    "range [" + min + ", " + max + "]",
                    "expected every label in [0, 1]");
        }
    }
}
