package dev.reward4j.losses;

import static dev.reward4j.losses.Numerics.scalar;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.reward4j.losses.UnpairedObjective.Bco;
import dev.reward4j.losses.UnpairedObjective.Kto;

/**
 * Unpaired (binary-feedback) objectives: KTO and BCO, on sequence log-probs summed over completion
 * tokens. Notation: \( \rho_b = \log\pi_\theta(y_b|x_b) - \log\pi_{ref}(y_b|x_b) \), \( d_b \in
 * \{0,1\} \) the desirable label.
 *
 * <p><b>Shapes.</b> {@link UnpairedLogps} arrays and the weight are {@code (B)}; KL log-probs are
 * {@code (B')}, {@code B' >= 2}. Results are attached to the manager of {@code logps.policy()}.
 *
 * <p><b>References.</b> "KTO: Model Alignment as Prospect Theoretic Optimization", arXiv
 * 2402.01306, eq. 8. "Binary Classifier Optimization for Large Language Model Alignment", arXiv
 * 2404.04656 (the reward-shift loss). APO: "Anchored Preference Optimization and Contrastive
 * Revisions: Addressing Underspecification in Alignment", arXiv 2408.06266, eq. 7 (unpaired form).
 */
public final class UnpairedLosses {
    private UnpairedLosses() {}

    /**
     * KTO's reference point \( z_0 = \max(0, \frac{1}{B'}\sum_j (\log\pi_\theta(y_j|x'_j) -
     * \log\pi_{ref}(y_j|x'_j))) \), detached, from mismatched (prompt, completion) pairs of the
     * micro-batch (completion j with prompt j+1 mod B). A batch of fewer than 2 KL rows is
     * rejected: with one example the "mismatched" pair is the matched one (trl#2554). Exposed
     * separately so a trainer can average it across data-parallel ranks before calling {@link
     * #kto(UnpairedLogps, NDArray, Kto, NDArray, Reduction)}.
     *
     * @param klPolicy policy log-probs of the mismatched pairs {@code (B')}
     * @param klReference reference log-probs of the mismatched pairs {@code (B')}
     * @return a 0-dimensional detached array attached to the manager of {@code klPolicy}
     */
    public static NDArray klReferencePoint(NDArray klPolicy, NDArray klReference) {
        String c = "kto";
        LossChecks.floating(
                c, "klPolicy", klPolicy, 1, "(B'): summed log-probs of mismatched pairs");
        LossChecks.floating(c, "klReference", klReference);
        LossChecks.sameShape(c, "klReference", klReference, "klPolicy", klPolicy.getShape());
        LossChecks.sameDtype(c, "klReference", klReference, "klPolicy", klPolicy);
        if (klPolicy.getShape().get(0) < 2) {
            throw LossChecks.bad(
                    c,
                    "the KL batch is too small",
                    klPolicy.getShape().get(0),
                    "expected at least 2 mismatched pairs; use a micro-batch size >= 2");
        }
        return klPolicy.stopGradient()
                .sub(klReference.stopGradient())
                .mean()
                .maximum(scalar(klPolicy, 0));
    }

    /**
     * KTO with the reference point computed from the KL rows of the same micro-batch (see {@link
     * #klReferencePoint}). Result attached to the manager of {@code logps.policy()}.
     *
     * @param logps policy/reference log-probs and desirable labels {@code (B)}
     * @param klPolicy policy log-probs of mismatched pairs {@code (B')}
     * @param klReference reference log-probs of mismatched pairs {@code (B')}
     * @param objective hyperparameters
     * @param weight optional {@code (B)} example weights, or null
     * @param reduction reduction over examples
     * @return loss and diagnostics
     */
    public static UnpairedOutput kto(
            UnpairedLogps logps,
            NDArray klPolicy,
            NDArray klReference,
            Kto objective,
            NDArray weight,
            Reduction reduction) {
        return kto(logps, klReferencePoint(klPolicy, klReference), objective, weight, reduction);
    }

    /**
     * KTO with a given (detached) reference point \( z_0 \): \( \ell_b = d_b\,\lambda_D\,(1 -
     * \sigma(\beta(\rho_b - z_0))) + (1-d_b)\,\lambda_U\,(1 - \sigma(\beta(z_0 - \rho_b))) \),
     * computed as \( \sigma(-x) \). With MEAN and no weights this is TRL's {@code losses.nanmean()}
     * over the concatenated desirable and undesirable losses. Diagnostics: reward \( \beta\rho \),
     * referencePoint \( z_0 \), accuracy as in {@link UnpairedOutput}.
     *
     * @param logps policy/reference log-probs and desirable labels {@code (B)}
     * @param referencePoint \( z_0 \), a scalar or 0-dimensional array (detached here)
     * @param objective hyperparameters
     * @param weight optional {@code (B)} example weights, or null
     * @param reduction reduction over examples
     * @return loss and diagnostics, attached to the manager of {@code logps.policy()}
     */
    public static UnpairedOutput kto(
            UnpairedLogps logps,
            NDArray referencePoint,
            Kto objective,
            NDArray weight,
            Reduction reduction) {
        String c = objective.name();
        Shape s = check(c, logps, weight, reduction);
        LossChecks.floating(c, "referencePoint", referencePoint);
        if (referencePoint.size() != 1) {
            throw LossChecks.bad(
                    c,
                    "referencePoint is not a scalar",
                    referencePoint.getShape(),
                    "expected shape () or (1)");
        }
        NDArray z0 = referencePoint.stopGradient().reshape(new Shape());
        NDArray d = Numerics.asFloat(logps.desirable(), logps.policy().getDataType());
        NDArray rho = logps.policy().sub(logps.reference());
        double beta = objective.beta();
        NDArray desirable =
                Numerics.sigmoid(rho.sub(z0).mul(scalar(logps.policy(), -beta)))
                        .mul(scalar(logps.policy(), objective.desirableWeight()));
        NDArray undesirable =
                Numerics.sigmoid(rho.sub(z0).mul(scalar(logps.policy(), beta)))
                        .mul(scalar(logps.policy(), objective.undesirableWeight()));
        NDArray loss =
                desirable.mul(d).add(undesirable.mul(d.neg().add(scalar(logps.policy(), 1))));
        NDArray accuracy = sideAccuracy(rho, z0, d);
        return new UnpairedOutput(
                reduction.reduce(loss, weight),
                loss.stopGradient(),
                rho.mul(scalar(logps.policy(), beta)).stopGradient(),
                z0,
                accuracy);
    }

    /**
     * BCO with its running reward shift. With rewards \( r_b = \beta\rho_b \): the batch's rewards
     * (desirable and undesirable together, as TRL's {@code BCOTrainer} concatenates them) are
     * folded into {@code state} first, counted by their number (with weights: weighted mean \(
     * \sum_b w_b r_b / \sum_b w_b \), counted by \( \sum_b w_b \); detached; no update when all
     * weights are 0), so the shift \( \delta \) is the mean of every reward seen so far including
     * this batch: \( \ell_b = d_b\,\mathrm{softplus}(-(r_b - \delta)) +
     * (1-d_b)\,\mathrm{softplus}(r_b - \delta) \). Reading the batch mean is one host
     * synchronisation per call.
     *
     * @param logps policy/reference log-probs and desirable labels {@code (B)}
     * @param state the running-mean state before this step
     * @param objective hyperparameters
     * @param weight optional {@code (B)} example weights, or null
     * @param reduction reduction over examples
     * @return loss, diagnostics (referencePoint = \( \delta \)) and the next state; arrays attached
     *     to the manager of {@code logps.policy()}
     */
    public static BcoOutput bco(
            UnpairedLogps logps,
            BcoState state,
            Bco objective,
            NDArray weight,
            Reduction reduction) {
        return bco(logps, state, objective, null, weight, reduction);
    }

    /**
     * BCO with UDM weights (see {@link #bco(UnpairedLogps, BcoState, Bco, NDArray, Reduction)}):
     * each example's loss is multiplied by its constant weight \( u_b \) (1 for desirable examples,
     * the clipped density ratio of {@link DensityRatioClassifier} for undesirable ones), as TRL's
     * {@code BCOTrainer} scales the rejected losses before {@code nanmean}; \( u \) does not enter
     * the running mean or the MEAN denominator.
     *
     * @param logps policy/reference log-probs and desirable labels {@code (B)}
     * @param state the running-mean state before this step
     * @param objective hyperparameters
     * @param udmWeight {@code (B)} constant loss multipliers, or null (all 1)
     * @param weight optional {@code (B)} example weights, or null
     * @param reduction reduction over examples
     * @return loss, diagnostics and the next state, attached to the manager of {@code
     *     logps.policy()}
     */
    public static BcoOutput bco(
            UnpairedLogps logps,
            BcoState state,
            Bco objective,
            NDArray udmWeight,
            NDArray weight,
            Reduction reduction) {
        String c = objective.name();
        Shape s = check(c, logps, weight, reduction);
        if (state == null) {
            throw LossChecks.bad(
                    c,
                    "state is missing",
                    "null",
                    "expected a BcoState (BcoState.initial() at step 0)");
        }
        NDArray d = Numerics.asFloat(logps.desirable(), logps.policy().getDataType());
        NDArray reward =
                logps.policy().sub(logps.reference()).mul(scalar(logps.policy(), objective.beta()));
        NDArray r = reward.stopGradient();
        BcoState next;
        if (weight == null) {
            next =
                    s.get(0) == 0
                            ? state
                            : state.update(
                                    r.mean().toType(DataType.FLOAT64, false).getDouble(), s.get(0));
        } else {
            NDArray w = weight.stopGradient();
            double total = w.sum().toType(DataType.FLOAT64, false).getDouble();
            next =
                    total > 0
                            ? state.update(
                                    r.mul(w).sum().toType(DataType.FLOAT64, false).getDouble()
                                            / total,
                                    total)
                            : state;
        }
        NDArray delta = scalar(reward, next.mean());
        NDArray x = reward.sub(delta);
        NDArray loss =
                Numerics.negLogSigmoid(x)
                        .mul(d)
                        .add(Numerics.softPlus(x).mul(d.neg().add(scalar(logps.policy(), 1))));
        if (udmWeight != null) {
            LossChecks.optional(
                    c, "udmWeight", udmWeight, "logps.policy", s, logps.policy().getDataType());
            loss = loss.mul(udmWeight.stopGradient());
        }
        UnpairedOutput out =
                new UnpairedOutput(
                        reduction.reduce(loss, weight),
                        loss.stopGradient(),
                        r,
                        delta,
                        sideAccuracy(r, delta, d));
        return new BcoOutput(out, next);
    }

    /**
     * Unpaired APO-zero (see {@link UnpairedObjective.ApoZeroUnpaired}): \( \ell_b =
     * d_b\,\lambda_D\,\sigma(-\beta\rho_b) + (1-d_b)\,\lambda_U\,\sigma(\beta\rho_b) \). With MEAN
     * and no weights this is TRL's {@code losses.nanmean()} over the concatenated desirable and
     * undesirable losses. Diagnostics: reward \( \beta\rho \), referencePoint 0, accuracy as in
     * {@link UnpairedOutput}.
     *
     * @param logps policy/reference log-probs and desirable labels {@code (B)}
     * @param objective hyperparameters
     * @param weight optional {@code (B)} example weights, or null
     * @param reduction reduction over examples
     * @return loss and diagnostics, attached to the manager of {@code logps.policy()}
     */
    public static UnpairedOutput apoZeroUnpaired(
            UnpairedLogps logps,
            UnpairedObjective.ApoZeroUnpaired objective,
            NDArray weight,
            Reduction reduction) {
        check(objective.name(), logps, weight, reduction);
        NDArray pol = logps.policy();
        NDArray d = Numerics.asFloat(logps.desirable(), pol.getDataType());
        NDArray reward = pol.sub(logps.reference()).mul(scalar(pol, objective.beta()));
        NDArray loss =
                Numerics.sigmoid(reward.neg())
                        .mul(scalar(pol, objective.desirableWeight()))
                        .mul(d)
                        .add(
                                Numerics.sigmoid(reward)
                                        .mul(scalar(pol, objective.undesirableWeight()))
                                        .mul(d.neg().add(scalar(pol, 1))));
        NDArray r = reward.stopGradient();
        NDArray zero = r.zerosLike().sum();
        return new UnpairedOutput(
                reduction.reduce(loss, weight),
                loss.stopGradient(),
                r,
                zero,
                sideAccuracy(r, zero, d));
    }

    /** 1 where desirable and x > ref, or undesirable and x < ref (detached). */
    private static NDArray sideAccuracy(NDArray x, NDArray ref, NDArray d) {
        NDArray above = Numerics.greater(x, ref);
        NDArray below = Numerics.greater(ref.broadcast(x.getShape()), x);
        return above.mul(d).add(below.mul(d.neg().add(scalar(x, 1))));
    }

    private static Shape check(String c, UnpairedLogps logps, NDArray weight, Reduction reduction) {
        if (logps == null || reduction == null) {
            throw LossChecks.bad(
                    c, "logps or reduction is missing", "null", "expected both non-null");
        }
        LossChecks.floating(
                c, "logps.policy", logps.policy(), 1, "(B): summed log-probs per example");
        Shape s = logps.policy().getShape();
        LossChecks.floating(c, "logps.reference", logps.reference());
        LossChecks.sameShape(c, "logps.reference", logps.reference(), "logps.policy", s);
        LossChecks.sameDtype(
                c, "logps.reference", logps.reference(), "logps.policy", logps.policy());
        LossChecks.required(
                c, "logps.desirable", logps.desirable(), "of shape (B) with 0/1 entries");
        LossChecks.counts(c, "logps.desirable", logps.desirable(), "logps.policy", s);
        LossChecks.optional(c, "weight", weight, "logps.policy", s, logps.policy().getDataType());
        return s;
    }
}
