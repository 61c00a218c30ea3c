package dev.reward4j.losses;

import static dev.reward4j.losses.Numerics.scalar;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Autoregressive reward-model objectives (GenARM).
 *
 * <p><b>Shapes.</b> {@link PairLogps#policyChosen()} and {@link PairLogps#policyRejected()} are the
 * reward LM's summed response-token log-probs {@code (B)}; reference log-probs must be null (the
 * reward model has no reference); weights {@code (B)}. Results are attached to the manager of
 * {@code logps.policyChosen()}. Diagnostics: {@code chosenReward} \( = \beta_r \log\pi_r(y_c|x) \),
 * {@code rejectedReward} likewise.
 *
 * <p><b>Numerics.</b> \( -\log\sigma(z) \) is {@code softplus(-z)}.
 *
 * <p><b>References.</b> "GenARM: Reward Guided Generation with Autoregressive Reward Model for
 * Test-time Alignment", arXiv 2410.08193 (the autoregressive reward parametrisation and its
 * training loss).
 */
public final class AutoregressiveRewardLosses {
    private AutoregressiveRewardLosses() {}

    /**
     * GenARM loss \( \ell_b = \mathrm{softplus}(-\beta_r(\pi_{c,b} - \pi_{r,b})) \) with \( \pi \)
     * the summed log-probs of the reward LM.
     *
     * @param logps summed reward-LM log-probs, each {@code (B)}; no reference
     * @param objective hyperparameters
     * @param weight optional {@code (B)} example weights, or null
     * @param reduction reduction over pairs
     * @return loss and diagnostics, attached to the manager of {@code logps.policyChosen()}
     */
    public static PairwiseOutput genArm(
            PairLogps logps,
            AutoregressiveRewardObjective.GenArm objective,
            NDArray weight,
            Reduction reduction) {
        String c = objective.name();
        if (logps == null) {
            throw LossChecks.bad(c, "logps is missing", "null", "expected PairLogps");
        }
        LossChecks.floating(
                c,
                "logps.policyChosen",
                logps.policyChosen(),
                1,
                "(B): summed reward-LM log-probs per pair");
        Shape s = logps.policyChosen().getShape();
        LossChecks.floating(c, "logps.policyRejected", logps.policyRejected());
        LossChecks.sameShape(
                c, "logps.policyRejected", logps.policyRejected(), "logps.policyChosen", s);
        LossChecks.sameDtype(
                c,
                "logps.policyRejected",
                logps.policyRejected(),
                "logps.policyChosen",
                logps.policyChosen());
        if (logps.referenceChosen() != null || logps.referenceRejected() != null) {
            throw LossChecks.bad(
                    c,
                    "reference log-probs are given",
                    "non-null",
                    "expected none: the autoregressive reward is beta_r log pi_r(y|x) itself."
                            + " Use PairLogps.referenceFree");
        }
        LossChecks.optional(
                c, "weight", weight, "logps.policyChosen", s, logps.policyChosen().getDataType());
        NDArray beta = scalar(logps.policyChosen(), objective.betaR());
        NDArray rc = logps.policyChosen().mul(beta);
        NDArray rr = logps.policyRejected().mul(beta);
        return PairwiseOutput.of(Numerics.negLogSigmoid(rc.sub(rr)), rc, rr, weight, reduction);
    }
}
