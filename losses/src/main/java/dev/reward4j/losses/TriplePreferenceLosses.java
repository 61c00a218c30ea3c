package dev.reward4j.losses;

import static dev.reward4j.losses.PairInputs.c;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * TPO and TPO-L on {@link TripleLogps}. Notation as in {@link TriplePreferenceObjective}.
 *
 * <p><b>Shapes.</b> Every input is {@code (B)}. Results are attached to the manager of {@code
 * logps.chosen()}.
 *
 * <p><b>Normalisation.</b> TPO's preference term uses summed log-probs, TPO-L's per-token means;
 * the gold NLL is a per-example token mean \( -\pi_{gold}/\max(n, 1) \) in both (the authors' HF
 * cross-entropy averages over the tokens of the whole batch instead; the per-example mean keeps the
 * loss invariant to micro-batching).
 *
 * <p><b>Numerics.</b> \( -\log\sigma(x) \) = {@code softplus(-x)}.
 *
 * <p><b>References.</b> "Triple Preference Optimization: Achieving Better Alignment with Less Data
 * in a Single Step Optimization", arXiv 2405.16681.
 */
public final class TriplePreferenceLosses {
    private TriplePreferenceLosses() {}

    /**
     * TPO (see {@link TriplePreferenceObjective.Tpo}).
     *
     * @param o the objective
     * @param logps triple log-probs {@code (B)}
     * @param weight optional weights
     * @param reduction reduction over triples
     * @return loss and diagnostics
     */
    static PairwiseOutput tpo(
            TriplePreferenceObjective.Tpo o,
            TripleLogps logps,
            NDArray weight,
            Reduction reduction) {
        check(o.name(), logps, weight);
        NDArray b = c(logps.chosen(), o.beta());
        NDArray rw = logps.chosen().mul(b);
        NDArray rl = logps.rejected().mul(b);
        NDArray nll = PairInputs.mean(logps.gold(), logps.goldTokens()).neg();
        NDArray loss = Numerics.negLogSigmoid(rw.sub(rl)).add(nll.mul(c(nll, o.alpha())));
        return PairwiseOutput.of(loss, rw, rl, weight, reduction).withChosenNll(nll.stopGradient());
    }

    /**
     * TPO-L (see {@link TriplePreferenceObjective.TpoLengthNormalized}).
     *
     * @param o the objective
     * @param logps triple log-probs {@code (B)}
     * @param weight optional weights
     * @param reduction reduction over triples
     * @return loss and diagnostics
     */
    static PairwiseOutput tpoLengthNormalized(
            TriplePreferenceObjective.TpoLengthNormalized o,
            TripleLogps logps,
            NDArray weight,
            Reduction reduction) {
        check(o.name(), logps, weight);
        NDArray b = c(logps.chosen(), o.beta());
        NDArray rw = PairInputs.mean(logps.chosen(), logps.chosenTokens()).mul(b);
        NDArray rl = PairInputs.mean(logps.rejected(), logps.rejectedTokens()).mul(b);
        NDArray nll = PairInputs.mean(logps.gold(), logps.goldTokens()).neg();
        NDArray z = rw.sub(rl).sub(c(rw, o.gamma()));
        NDArray loss = Numerics.negLogSigmoid(z).add(nll.mul(c(nll, o.alpha())));
        return PairwiseOutput.of(loss, rw, rl, weight, reduction).withChosenNll(nll.stopGradient());
    }

    private static void check(String n, TripleLogps l, NDArray weight) {
        if (l == null) {
            throw LossChecks.bad(n, "logps is missing", "null", "expected TripleLogps (B) arrays");
        }
        LossChecks.floating(n, "logps.chosen", l.chosen(), 1, "(B): summed log-probs of y_w");
        Shape s = l.chosen().getShape();
        for (String name : new String[] {"rejected", "gold"}) {
            NDArray a = name.equals("gold") ? l.gold() : l.rejected();
            LossChecks.required(n, "logps." + name, a, "(B)");
            LossChecks.floating(n, "logps." + name, a);
            LossChecks.sameShape(n, "logps." + name, a, "logps.chosen", s);
            LossChecks.sameDtype(n, "logps." + name, a, "logps.chosen", l.chosen());
        }
        LossChecks.required(n, "logps.goldTokens", l.goldTokens(), "(B) token counts");
        LossChecks.required(n, "logps.chosenTokens", l.chosenTokens(), "(B) token counts");
        LossChecks.required(n, "logps.rejectedTokens", l.rejectedTokens(), "(B) token counts");
        LossChecks.counts(n, "logps.goldTokens", l.goldTokens(), "logps.chosen", s);
        LossChecks.counts(n, "logps.chosenTokens", l.chosenTokens(), "logps.chosen", s);
        LossChecks.counts(n, "logps.rejectedTokens", l.rejectedTokens(), "logps.chosen", s);
        LossChecks.optional(n, "weight", weight, "logps.chosen", s, l.chosen().getDataType());
    }
}
