package dev.reward4j.losses;

import static dev.reward4j.losses.Numerics.scalar;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Token-level preference objectives (TDPO1, TDPO2, SparsePO) and the full-vocabulary token KL they
 * are built on. Notation as in {@link TokenPreferenceObjective}.
 *
 * <p><b>Shapes.</b> Per-token inputs are {@code (B, T)} per side (see {@link TokenPairLogps}); the
 * pair weight is {@code (B)}. Results are attached to the manager of {@code logps.policyChosen()}.
 *
 * <p><b>Normalisation.</b> Sums over response tokens (as the TDPO authors' {@code
 * average_log_prob=False}); masked positions contribute exactly 0 (their values must be finite).
 *
 * <p><b>Numerics.</b> \( -\log\sigma(z) \) = {@code softplus(-z)}; the token KL uses {@code
 * logSoftmax} of both logits, never {@code log(softmax)}.
 *
 * <p><b>References.</b> "Token-level Direct Preference Optimization", arXiv 2404.11999 (TDPO1,
 * TDPO2; official code {@code tdpo_loss}, {@code _tdpo_get_batch_logps}). "SparsePO: Controlling
 * Preference Alignment of LLMs via Sparse Token Masks", arXiv 2410.05102.
 */
public final class TokenPreferenceLosses {
    private TokenPreferenceLosses() {}

    /**
     * Token-level KL \( D_{KL}(\pi_{ref}\,\|\,\pi_\theta) = \sum_v p_{ref}(v)(\log p_{ref}(v) -
     * \log p_\theta(v)) \) over the last (vocabulary) axis, from logits.
     *
     * @param policyLogits {@code (..., V)} policy logits (differentiable)
     * @param referenceLogits {@code (..., V)} reference logits (treated as constants)
     * @return {@code (...)} KL per position, attached to the manager of {@code policyLogits}
     */
    public static NDArray tokenKl(NDArray policyLogits, NDArray referenceLogits) {
        LossChecks.floating("token-kl", "policyLogits", policyLogits);
        LossChecks.floating("token-kl", "referenceLogits", referenceLogits);
        LossChecks.sameShape(
                "token-kl",
                "referenceLogits",
                referenceLogits,
                "policyLogits",
                policyLogits.getShape());
        int axis = policyLogits.getShape().dimension() - 1;
        NDArray refLogp = referenceLogits.stopGradient().logSoftmax(axis);
        NDArray polLogp = policyLogits.logSoftmax(axis);
        return refLogp.exp().mul(refLogp.sub(polLogp)).sum(new int[] {axis});
    }

    /**
     * TDPO1 / TDPO2 (see {@link TokenPreferenceObjective.Tdpo1}, {@link
     * TokenPreferenceObjective.Tdpo2}).
     *
     * @param objective the record (for names in messages)
     * @param beta \( \beta \)
     * @param alpha \( \alpha \) (1 for TDPO1)
     * @param stopChosenKl true for TDPO2 (stop-gradient on the chosen sequential KL)
     * @param logps per-token inputs
     * @param weight optional {@code (B)} pair weights
     * @param reduction reduction over pairs
     * @return loss and diagnostics
     */
    static PairwiseOutput tdpo(
            TokenPreferenceObjective objective,
            double beta,
            double alpha,
            boolean stopChosenKl,
            TokenPairLogps logps,
            NDArray weight,
            Reduction reduction) {
        String c = objective.name();
        validate(c, logps, weight, false);
        NDArray rhoC =
                maskedSum(logps.policyChosen().sub(logps.referenceChosen()), logps.maskChosen());
        NDArray rhoR =
                maskedSum(
                        logps.policyRejected().sub(logps.referenceRejected()),
                        logps.maskRejected());
        NDArray klC = maskedSum(logps.klChosen(), logps.maskChosen());
        NDArray klR = maskedSum(logps.klRejected(), logps.maskRejected());
        NDArray klTerm = (stopChosenKl ? klC.stopGradient() : klC).sub(klR);
        NDArray z = rhoC.sub(rhoR).add(klTerm.mul(scalar(klTerm, alpha))).mul(scalar(rhoC, beta));
        NDArray loss = Numerics.negLogSigmoid(z);
        NDArray b = scalar(rhoC, beta);
        return PairwiseOutput.of(
                loss, rhoC.add(klC).mul(b), rhoR.add(klR).mul(b), weight, reduction);
    }

    /**
     * SparsePO (see {@link TokenPreferenceObjective.SparsePo}).
     *
     * @param objective the objective
     * @param logps per-token inputs with {@link TokenPairLogps#weights()} set
     * @param weight optional {@code (B)} pair weights
     * @param reduction reduction over pairs
     * @return loss and diagnostics
     */
    static PairwiseOutput sparsePo(
            TokenPreferenceObjective.SparsePo objective,
            TokenPairLogps logps,
            NDArray weight,
            Reduction reduction) {
        String c = objective.name();
        validate(c, logps, weight, true);
        TokenWeights w = logps.weights();
        NDArray mc = logps.maskChosen();
        NDArray mr = logps.maskRejected();
        NDArray rhoC =
                maskedSum(
                        logps.policyChosen().sub(logps.referenceChosen()).mul(w.rewardChosen()),
                        mc);
        NDArray rhoR =
                maskedSum(
                        logps.policyRejected()
                                .sub(logps.referenceRejected())
                                .mul(w.rewardRejected()),
                        mr);
        NDArray klC = maskedSum(logps.klChosen().mul(w.klChosen()), mc);
        NDArray klR = maskedSum(logps.klRejected().mul(w.klRejected()), mr);
        NDArray b = scalar(rhoC, objective.beta());
        NDArray z = rhoC.sub(rhoR).add(klC.sub(klR)).mul(b);
        return PairwiseOutput.of(
                Numerics.negLogSigmoid(z), rhoC.mul(b), rhoR.mul(b), weight, reduction);
    }

    /** {@code sum_t x[b, t] * mask[b, t]} with a constant float mask; 0 on masked positions. */
    private static NDArray maskedSum(NDArray x, NDArray mask) {
        NDArray m = Numerics.asFloat(mask, x.getDataType());
        // masked positions must hold finite values (the model's log-prob helpers write 0 there)
        return x.mul(m).sum(new int[] {1});
    }

    private static void validate(String c, TokenPairLogps logps, NDArray weight, boolean weights) {
        if (logps == null) {
            throw LossChecks.bad(c, "logps is missing", "null", "expected TokenPairLogps");
        }
        NDArray pc =
                LossChecks.floating(
                        c,
                        "logps.policyChosen",
                        logps.policyChosen(),
                        2,
                        "(B, T): per-token log-probs of the chosen responses");
        NDArray pr =
                LossChecks.floating(
                        c,
                        "logps.policyRejected",
                        logps.policyRejected(),
                        2,
                        "(B, T): per-token log-probs of the rejected responses");
        Shape sc = pc.getShape();
        Shape sr = pr.getShape();
        if (sc.get(0) != sr.get(0)) {
            throw LossChecks.bad(
                    c,
                    "chosen and rejected have different batch sizes",
                    sc + " vs " + sr,
                    "expected the same B");
        }
        side(c, "Chosen", sc, pc, logps.referenceChosen(), logps.klChosen(), logps.maskChosen());
        side(
                c,
                "Rejected",
                sr,
                pc,
                logps.referenceRejected(),
                logps.klRejected(),
                logps.maskRejected());
        if (weights) {
            TokenWeights w = logps.weights();
            if (w == null) {
                throw LossChecks.bad(
                        c,
                        "token weights are missing",
                        "null",
                        "expected TokenWeights (reference-derived or learned masks)");
            }
            tokenArray(c, "weights.rewardChosen", w.rewardChosen(), sc, pc);
            tokenArray(c, "weights.klChosen", w.klChosen(), sc, pc);
            tokenArray(c, "weights.rewardRejected", w.rewardRejected(), sr, pc);
            tokenArray(c, "weights.klRejected", w.klRejected(), sr, pc);
        }
        LossChecks.optional(
                c, "weight", weight, "the batch", new Shape(sc.get(0)), pc.getDataType());
    }

    private static void side(
            String c, String side, Shape s, NDArray like, NDArray ref, NDArray kl, NDArray mask) {
        tokenArray(c, "logps.reference" + side, ref, s, like);
        tokenArray(c, "logps.kl" + side, kl, s, like);
        LossChecks.required(c, "logps.mask" + side, mask, "(B, T) 0/1 response mask");
        LossChecks.counts(c, "logps.mask" + side, mask, "logps.policy" + side, s);
    }

    private static void tokenArray(String c, String name, NDArray a, Shape s, NDArray like) {
        LossChecks.required(c, name, a, s.toString());
        LossChecks.floating(c, name, a);
        LossChecks.sameShape(c, name, a, "the policy log-probs of that side", s);
        LossChecks.sameDtype(c, name, a, "logps.policyChosen", like);
    }
}
