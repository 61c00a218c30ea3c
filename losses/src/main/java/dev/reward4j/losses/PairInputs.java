package dev.reward4j.losses;

import static dev.reward4j.losses.Numerics.scalar;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Package-private validation and shared terms of the pairwise families added beside {@link
 * PairwisePolicyLosses} ({@link LabeledPairLosses}, {@link JointPairObjective}, {@link
 * AbsoluteLikelihoodLosses}).
 */
final class PairInputs {
    private PairInputs() {}

    /**
     * Checks {@code logps} (policy arrays required, reference both-or-neither, optional counts) and
     * the optional weight; returns the batch shape {@code (B)}.
     */
    static Shape check(String c, PairLogps logps, NDArray weight, boolean needsCounts) {
        if (logps == null) {
            throw LossChecks.bad(
                    c, "logps is missing", "null", "expected PairLogps with (B) arrays");
        }
        NDArray pc = logps.policyChosen();
        LossChecks.floating(c, "logps.policyChosen", pc, 1, "(B): summed log-probs per pair");
        Shape s = pc.getShape();
        LossChecks.floating(c, "logps.policyRejected", logps.policyRejected());
        LossChecks.sameShape(
                c, "logps.policyRejected", logps.policyRejected(), "logps.policyChosen", s);
        LossChecks.sameDtype(
                c, "logps.policyRejected", logps.policyRejected(), "logps.policyChosen", pc);
        LossChecks.optional(
                c,
                "logps.referenceChosen",
                logps.referenceChosen(),
                "logps.policyChosen",
                s,
                pc.getDataType());
        LossChecks.optional(
                c,
                "logps.referenceRejected",
                logps.referenceRejected(),
                "logps.policyChosen",
                s,
                pc.getDataType());
        if ((logps.referenceChosen() == null) != (logps.referenceRejected() == null)) {
            throw LossChecks.bad(
                    c,
                    "only one reference log-prob array is given",
                    logps.referenceChosen() == null
                            ? "referenceChosen=null"
                            : "referenceRejected=null",
                    "expected both or neither (reference-free)");
        }
        if (needsCounts && (logps.chosenTokens() == null || logps.rejectedTokens() == null)) {
            throw LossChecks.bad(
                    c,
                    "token counts are missing",
                    "null",
                    "expected logps.withTokens(chosenTokens, rejectedTokens): this objective uses"
                            + " per-token means");
        }
        LossChecks.counts(c, "logps.chosenTokens", logps.chosenTokens(), "logps.policyChosen", s);
        LossChecks.counts(
                c, "logps.rejectedTokens", logps.rejectedTokens(), "logps.policyChosen", s);
        LossChecks.optional(c, "weight", weight, "logps.policyChosen", s, pc.getDataType());
        return s;
    }

    /** A required per-pair constant label of shape {@code s} and the policy dtype. */
    static NDArray label(String c, String meaning, NDArray label, PairLogps logps, Shape s) {
        LossChecks.required(c, "label", label, "(B): " + meaning);
        LossChecks.floating(c, "label", label);
        LossChecks.sameShape(c, "label", label, "logps.policyChosen", s);
        LossChecks.sameDtype(c, "label", label, "logps.policyChosen", logps.policyChosen());
        return label.stopGradient();
    }

    /** \( \rho_c \): policy minus reference (reference-free: the policy log-prob). */
    static NDArray rhoChosen(PairLogps l) {
        return l.referenceChosen() == null
                ? l.policyChosen()
                : l.policyChosen().sub(l.referenceChosen());
    }

    /** \( \rho_r \). */
    static NDArray rhoRejected(PairLogps l) {
        return l.referenceRejected() == null
                ? l.policyRejected()
                : l.policyRejected().sub(l.referenceRejected());
    }

    /** Per-token mean \( x / \max(n, 1) \) with constant counts. */
    static NDArray mean(NDArray x, NDArray count) {
        return Numerics.divByCount(x, Numerics.asFloat(count, x.getDataType()));
    }

    /** Scalar constant helper (engine-owned, see {@link Numerics#scalar}). */
    static NDArray c(NDArray like, double v) {
        return scalar(like, v);
    }
}
