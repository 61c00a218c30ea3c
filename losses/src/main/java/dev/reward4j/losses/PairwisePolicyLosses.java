package dev.reward4j.losses;

import static dev.reward4j.losses.Numerics.scalar;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import dev.reward4j.losses.PairwisePolicyObjective.ConservativeDpo;
import dev.reward4j.losses.PairwisePolicyObjective.Cpo;
import dev.reward4j.losses.PairwisePolicyObjective.Dpo;
import dev.reward4j.losses.PairwisePolicyObjective.FDivergence;
import dev.reward4j.losses.PairwisePolicyObjective.FDpo;
import dev.reward4j.losses.PairwisePolicyObjective.Hinge;
import dev.reward4j.losses.PairwisePolicyObjective.Ipo;
import dev.reward4j.losses.PairwisePolicyObjective.LengthNormalizedDpo;
import dev.reward4j.losses.PairwisePolicyObjective.Orpo;
import dev.reward4j.losses.PairwisePolicyObjective.RobustDpo;
import dev.reward4j.losses.PairwisePolicyObjective.SimPo;
import dev.reward4j.losses.PairwisePolicyObjective.WithChosenNll;

/**
 * Pairwise preference-optimisation objectives (the DPO family) on sequence log-probs, following
 * TRL's formulas. Notation as in {@link PairwisePolicyObjective}.
 *
 * <p><b>Shapes.</b> Every input of {@link PairLogps} and the weight are {@code (B)}; log-probs are
 * floating sums over response tokens; token counts may be integer. Results are attached to the
 * manager of {@code logps.policyChosen()}.
 *
 * <p><b>Normalisation (sum vs mean over tokens).</b> DPO, cDPO, rDPO, hinge, f-DPO and CPO use
 * summed log-probs. IPO, length-normalised DPO, SimPO and ORPO use per-token means \( x/\max(n,1)
 * \) (as TRL's {@code ipo}, SimPO and ORPO paths). A response with zero tokens gives a mean of 0,
 * not NaN (the failure of trl#1033).
 *
 * <p><b>Diagnostics</b> (detached, as TRL logs them): chosen/rejected rewards are \( \beta\rho \)
 * (DPO, cDPO, rDPO, hinge, f-DPO), \( \beta\bar\rho \) (IPO, length-normalised DPO), \(
 * \beta\bar\pi \) (SimPO, ORPO), \( \beta\pi \) (CPO); margin = chosen - rejected; accuracy =
 * [chosen > rejected].
 *
 * <p><b>Numerics.</b> \( -\log\sigma(x) \) = {@code softplus(-x)}; f-DPO exponentials are capped
 * ({@code exp(min(x, 88))} in float32, 709 in float64, as TRL's {@code cap_exp}); ORPO's \( \log(1
 * - e^{x}) \) is {@code log(-2t) - log(1-t)} with {@code t = tanh(x/2)}, exact near 0 and without
 * {@code log1p}/{@code expm1}; ORPO's per-token means are clamped to {@code <= -1e-6} (the odds are
 * infinite at probability 1).
 *
 * <p><b>References.</b> DPO: R. Rafailov et al., "Direct Preference Optimization: Your Language
 * Model is Secretly a Reward Model", arXiv 2305.18290, eq. 7. cDPO: E. Mitchell, "A note on DPO
 * with noisy preferences and relationship to IPO" (2023). rDPO: S. R. Chowdhury et al., "Provably
 * Robust DPO: Aligning Language Models with Noisy Feedback", arXiv 2403.00409. IPO: M. G. Azar et
 * al., "A General Theoretical Paradigm to Understand Learning from Human Preferences", arXiv
 * 2310.12036, eq. 17. Hinge: Y. Zhao et al., "SLiC-HF: Sequence Likelihood Calibration with Human
 * Feedback", arXiv 2305.10425; T. Liu et al., "Statistical Rejection Sampling Improves Preference
 * Optimization" (RSO), arXiv 2309.06657. f-DPO: C. Wang et al., "Beyond Reverse KL: Generalizing
 * Direct Preference Optimization with Diverse Divergence Constraints", arXiv 2309.16240.
 * Length-normalised DPO: N. Lambert et al., "Tulu 3: Pushing Frontiers in Open Language Model
 * Post-Training", arXiv 2411.15124. SimPO: Y. Meng et al., "SimPO: Simple Preference Optimization
 * with a Reference-Free Reward", arXiv 2405.14734. ORPO: J. Hong et al., "ORPO: Monolithic
 * Preference Optimization without Reference Model", arXiv 2403.07691, eqs. 4-7. CPO: H. Xu et al.,
 * "Contrastive Preference Optimization: Pushing the Boundaries of LLM Performance in Machine
 * Translation", arXiv 2401.08417.
 */
public final class PairwisePolicyLosses {
    private static final double ORPO_MAX_MEAN_LOGP = -1e-6;

    private PairwisePolicyLosses() {}

    /**
     * Computes any pairwise policy objective (the entry point used by {@link
     * PairwisePolicyObjective#apply}).
     *
     * @param objective the objective and its hyperparameters
     * @param logps sequence log-probs {@code (B)}
     * @param weight optional {@code (B)} example weights, or null
     * @param reduction reduction over pairs
     * @return loss and diagnostics, attached to the manager of {@code logps.policyChosen()}
     */
    public static PairwiseOutput compute(
            PairwisePolicyObjective objective,
            PairLogps logps,
            NDArray weight,
            Reduction reduction) {
        if (objective == null || reduction == null) {
            throw LossChecks.bad(
                    "pairwise-policy",
                    "objective or reduction is missing",
                    "null",
                    "expected both non-null");
        }
        String c = objective.name();
        if (logps == null) {
            throw LossChecks.bad(
                    c, "logps is missing", "null", "expected PairLogps with (B) arrays");
        }
        LossChecks.floating(
                c, "logps.policyChosen", logps.policyChosen(), 1, "(B): summed log-probs per pair");
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
        LossChecks.optional(
                c,
                "logps.referenceChosen",
                logps.referenceChosen(),
                "logps.policyChosen",
                s,
                logps.policyChosen().getDataType());
        LossChecks.optional(
                c,
                "logps.referenceRejected",
                logps.referenceRejected(),
                "logps.policyChosen",
                s,
                logps.policyChosen().getDataType());
        if ((logps.referenceChosen() == null) != (logps.referenceRejected() == null)) {
            throw LossChecks.bad(
                    c,
                    "only one reference log-prob array is given",
                    logps.referenceChosen() == null
                            ? "referenceChosen=null"
                            : "referenceRejected=null",
                    "expected both or neither (reference-free)");
        }
        LossChecks.counts(c, "logps.chosenTokens", logps.chosenTokens(), "logps.policyChosen", s);
        LossChecks.counts(
                c, "logps.rejectedTokens", logps.rejectedTokens(), "logps.policyChosen", s);
        LossChecks.optional(
                c, "weight", weight, "logps.policyChosen", s, logps.policyChosen().getDataType());
        Terms t = terms(objective, logps);
        PairwiseOutput out =
                PairwiseOutput.of(t.loss, t.chosenReward, t.rejectedReward, weight, reduction);
        return t.nll == null ? out : out.withChosenNll(t.nll.stopGradient());
    }

    /**
     * DPO (see {@link Dpo}). Result attached to the manager of {@code logps.policyChosen()}.
     *
     * @param logps sequence log-probs, each {@code (B)}
     * @param objective the objective and its hyperparameters
     * @param weight optional {@code (B)} example weights, or null
     * @param reduction how to combine the per-example losses
     * @return loss and diagnostics, attached to the manager of {@code logps.policyChosen()}
     */
    public static PairwiseOutput dpo(
            PairLogps logps, Dpo objective, NDArray weight, Reduction reduction) {
        return compute(objective, logps, weight, reduction);
    }

    /**
     * cDPO (see {@link ConservativeDpo}). Result attached to the manager of {@code
     * logps.policyChosen()}.
     *
     * @param logps sequence log-probs, each {@code (B)}
     * @param objective the objective and its hyperparameters
     * @param weight optional {@code (B)} example weights, or null
     * @param reduction how to combine the per-example losses
     * @return loss and diagnostics, attached to the manager of {@code logps.policyChosen()}
     */
    public static PairwiseOutput conservativeDpo(
            PairLogps logps, ConservativeDpo objective, NDArray weight, Reduction reduction) {
        return compute(objective, logps, weight, reduction);
    }

    /**
     * rDPO (see {@link RobustDpo}). Result attached to the manager of {@code logps.policyChosen()}.
     *
     * @param logps sequence log-probs, each {@code (B)}
     * @param objective the objective and its hyperparameters
     * @param weight optional {@code (B)} example weights, or null
     * @param reduction how to combine the per-example losses
     * @return loss and diagnostics, attached to the manager of {@code logps.policyChosen()}
     */
    public static PairwiseOutput robustDpo(
            PairLogps logps, RobustDpo objective, NDArray weight, Reduction reduction) {
        return compute(objective, logps, weight, reduction);
    }

    /**
     * IPO (see {@link Ipo}). Result attached to the manager of {@code logps.policyChosen()}.
     *
     * @param logps sequence log-probs, each {@code (B)}
     * @param objective the objective and its hyperparameters
     * @param weight optional {@code (B)} example weights, or null
     * @param reduction how to combine the per-example losses
     * @return loss and diagnostics, attached to the manager of {@code logps.policyChosen()}
     */
    public static PairwiseOutput ipo(
            PairLogps logps, Ipo objective, NDArray weight, Reduction reduction) {
        return compute(objective, logps, weight, reduction);
    }

    /**
     * Hinge / SLiC / RSO (see {@link Hinge}). Result attached to the manager of {@code
     * logps.policyChosen()}.
     *
     * @param logps sequence log-probs, each {@code (B)}
     * @param objective the objective and its hyperparameters
     * @param weight optional {@code (B)} example weights, or null
     * @param reduction how to combine the per-example losses
     * @return loss and diagnostics, attached to the manager of {@code logps.policyChosen()}
     */
    public static PairwiseOutput hinge(
            PairLogps logps, Hinge objective, NDArray weight, Reduction reduction) {
        return compute(objective, logps, weight, reduction);
    }

    /**
     * f-DPO (see {@link FDpo}). Result attached to the manager of {@code logps.policyChosen()}.
     *
     * @param logps sequence log-probs, each {@code (B)}
     * @param objective the objective and its hyperparameters
     * @param weight optional {@code (B)} example weights, or null
     * @param reduction how to combine the per-example losses
     * @return loss and diagnostics, attached to the manager of {@code logps.policyChosen()}
     */
    public static PairwiseOutput fDpo(
            PairLogps logps, FDpo objective, NDArray weight, Reduction reduction) {
        return compute(objective, logps, weight, reduction);
    }

    /**
     * Length-normalised DPO (see {@link LengthNormalizedDpo}).
     *
     * @param logps sequence log-probs and token counts, each {@code (B)}
     * @param objective the objective and its hyperparameters
     * @param weight optional {@code (B)} example weights, or null
     * @param reduction how to combine the per-example losses
     * @return loss and diagnostics, attached to the manager of {@code logps.policyChosen()}
     */
    public static PairwiseOutput lengthNormalizedDpo(
            PairLogps logps, LengthNormalizedDpo objective, NDArray weight, Reduction reduction) {
        return compute(objective, logps, weight, reduction);
    }

    /**
     * SimPO (see {@link SimPo}). Result attached to the manager of {@code logps.policyChosen()}.
     *
     * @param logps sequence log-probs, each {@code (B)}
     * @param objective the objective and its hyperparameters
     * @param weight optional {@code (B)} example weights, or null
     * @param reduction how to combine the per-example losses
     * @return loss and diagnostics, attached to the manager of {@code logps.policyChosen()}
     */
    public static PairwiseOutput simPo(
            PairLogps logps, SimPo objective, NDArray weight, Reduction reduction) {
        return compute(objective, logps, weight, reduction);
    }

    /**
     * ORPO odds-ratio term (see {@link Orpo}). Result attached to the manager of {@code
     * logps.policyChosen()}.
     *
     * @param logps sequence log-probs, each {@code (B)}
     * @param objective the objective and its hyperparameters
     * @param weight optional {@code (B)} example weights, or null
     * @param reduction how to combine the per-example losses
     * @return loss and diagnostics, attached to the manager of {@code logps.policyChosen()}
     */
    public static PairwiseOutput orpo(
            PairLogps logps, Orpo objective, NDArray weight, Reduction reduction) {
        return compute(objective, logps, weight, reduction);
    }

    /**
     * CPO preference term (see {@link Cpo}). Result attached to the manager of {@code
     * logps.policyChosen()}.
     *
     * @param logps sequence log-probs, each {@code (B)}
     * @param objective the objective and its hyperparameters
     * @param weight optional {@code (B)} example weights, or null
     * @param reduction how to combine the per-example losses
     * @return loss and diagnostics, attached to the manager of {@code logps.policyChosen()}
     */
    public static PairwiseOutput cpo(
            PairLogps logps, Cpo objective, NDArray weight, Reduction reduction) {
        return compute(objective, logps, weight, reduction);
    }

    /** Per-example loss (with gradient), rewards and optional NLL. */
    private record Terms(NDArray loss, NDArray chosenReward, NDArray rejectedReward, NDArray nll) {
        static Terms of(NDArray loss, NDArray chosenReward, NDArray rejectedReward) {
            return new Terms(loss, chosenReward, rejectedReward, null);
        }
    }

    private static Terms terms(PairwisePolicyObjective objective, PairLogps p) {
        if (objective instanceof Dpo o) {
            return sigmoid(o.beta(), ratioC(p), ratioR(p), 0, 0);
        } else if (objective instanceof ConservativeDpo o) {
            return sigmoid(o.beta(), ratioC(p), ratioR(p), 0, o.epsilon());
        } else if (objective instanceof RobustDpo o) {
            NDArray rc = ratioC(p);
            NDArray rr = ratioR(p);
            NDArray z = rc.sub(rr).mul(scalar(p.policyChosen(), o.beta()));
            double e = o.epsilon();
            NDArray loss =
                    Numerics.negLogSigmoid(z)
                            .mul(scalar(p.policyChosen(), 1 - e))
                            .sub(Numerics.softPlus(z).mul(scalar(p.policyChosen(), e)))
                            .div(scalar(p.policyChosen(), 1 - 2 * e));
            return Terms.of(
                    loss,
                    rc.mul(scalar(p.policyChosen(), o.beta())),
                    rr.mul(scalar(p.policyChosen(), o.beta())));
        } else if (objective instanceof Ipo o) {
            NDArray rc = mean(ratioC(p), tokens(o, p, true));
            NDArray rr = mean(ratioR(p), tokens(o, p, false));
            NDArray loss = rc.sub(rr).sub(scalar(p.policyChosen(), 1 / (2 * o.beta()))).square();
            return Terms.of(
                    loss,
                    rc.mul(scalar(p.policyChosen(), o.beta())),
                    rr.mul(scalar(p.policyChosen(), o.beta())));
        } else if (objective instanceof Hinge o) {
            NDArray rc = ratioC(p);
            NDArray rr = ratioR(p);
            NDArray loss =
                    Numerics.relu(
                            rc.sub(rr)
                                    .mul(scalar(p.policyChosen(), -o.beta()))
                                    .add(scalar(p.policyChosen(), 1)));
            return Terms.of(
                    loss,
                    rc.mul(scalar(p.policyChosen(), o.beta())),
                    rr.mul(scalar(p.policyChosen(), o.beta())));
        } else if (objective instanceof FDpo o) {
            return fDivergence(o, ratioC(p), ratioR(p));
        } else if (objective instanceof LengthNormalizedDpo o) {
            NDArray rc = mean(ratioC(p), tokens(o, p, true));
            NDArray rr = mean(ratioR(p), tokens(o, p, false));
            return sigmoid(o.beta(), rc, rr, 0, 0);
        } else if (objective instanceof SimPo o) {
            NDArray mc = mean(p.policyChosen(), tokens(o, p, true));
            NDArray mr = mean(p.policyRejected(), tokens(o, p, false));
            return sigmoid(o.beta(), mc, mr, o.gamma(), o.labelSmoothing());
        } else if (objective instanceof Orpo o) {
            NDArray mc =
                    mean(p.policyChosen(), tokens(o, p, true))
                            .minimum(scalar(p.policyChosen(), ORPO_MAX_MEAN_LOGP));
            NDArray mr =
                    mean(p.policyRejected(), tokens(o, p, false))
                            .minimum(scalar(p.policyChosen(), ORPO_MAX_MEAN_LOGP));
            NDArray logOdds = mc.sub(mr).sub(Numerics.log1mExp(mc).sub(Numerics.log1mExp(mr)));
            NDArray loss = Numerics.negLogSigmoid(logOdds).mul(scalar(p.policyChosen(), o.beta()));
            return Terms.of(
                    loss,
                    mc.mul(scalar(p.policyChosen(), o.beta())),
                    mr.mul(scalar(p.policyChosen(), o.beta())));
        } else if (objective instanceof Cpo o) {
            return sigmoid(o.beta(), p.policyChosen(), p.policyRejected(), 0, o.labelSmoothing());
        } else if (objective instanceof WithChosenNll o) {
            Terms base = terms(o.base(), p);
            NDArray n = Numerics.asFloat(tokens(o, p, true), p.policyChosen().getDataType());
            NDArray nll;
            if (o.normalization() == NllNormalization.EXAMPLE_TOKEN_MEAN) {
                nll = Numerics.divByCount(p.policyChosen().neg(), n);
            } else {
                long b = p.policyChosen().getShape().get(0);
                nll =
                        Numerics.divByCount(
                                p.policyChosen().neg().mul(scalar(p.policyChosen(), b)), n.sum());
            }
            return new Terms(
                    base.loss.add(nll.mul(scalar(p.policyChosen(), o.coefficient()))),
                    base.chosenReward,
                    base.rejectedReward,
                    nll);
        }
        throw new AssertionError("unhandled objective " + objective);
    }

    /**
     * \( z = \beta(x_c - x_r) - \gamma \), \( \ell = (1-\varepsilon)\mathrm{softplus}(-z) +
     * \varepsilon\,\mathrm{softplus}(z) \); rewards \( \beta x \).
     */
    private static Terms sigmoid(double beta, NDArray xc, NDArray xr, double gamma, double eps) {
        NDArray z = xc.sub(xr).mul(scalar(xc, beta));
        if (gamma != 0) {
            z = z.sub(scalar(xc, gamma));
        }
        NDArray loss = Numerics.negLogSigmoid(z);
        if (eps > 0) {
            loss = loss.mul(scalar(xc, 1 - eps)).add(Numerics.softPlus(z).mul(scalar(xc, eps)));
        }
        return Terms.of(loss, xc.mul(scalar(xc, beta)), xr.mul(scalar(xc, beta)));
    }

    private static Terms fDivergence(FDpo o, NDArray rc, NDArray rr) {
        FDivergence d = o.divergence();
        NDArray logits;
        if (d instanceof FDivergence.ReverseKl) {
            logits = rc.sub(rr);
        } else if (d instanceof FDivergence.ForwardKl) {
            logits = Numerics.cappedExp(rr.neg()).sub(Numerics.cappedExp(rc.neg()));
        } else if (d instanceof FDivergence.JensenShannon) {
            logits = rc.sub(rr).sub(Numerics.softPlus(rc).sub(Numerics.softPlus(rr)));
        } else if (d instanceof FDivergence.Alpha a) {
            double al = a.alpha();
            logits =
                    Numerics.cappedExp(rr.mul(scalar(rc, -al)))
                            .sub(Numerics.cappedExp(rc.mul(scalar(rc, -al))))
                            .div(scalar(rc, al));
        } else {
            throw new AssertionError("unhandled divergence " + d);
        }
        NDArray loss = Numerics.negLogSigmoid(logits.mul(scalar(rc, o.beta())));
        return Terms.of(loss, rc.mul(scalar(rc, o.beta())), rr.mul(scalar(rc, o.beta())));
    }

    private static NDArray ratioC(PairLogps p) {
        return p.referenceChosen() == null
                ? p.policyChosen()
                : p.policyChosen().sub(p.referenceChosen());
    }

    private static NDArray ratioR(PairLogps p) {
        return p.referenceRejected() == null
                ? p.policyRejected()
                : p.policyRejected().sub(p.referenceRejected());
    }

    private static NDArray tokens(PairwisePolicyObjective o, PairLogps p, boolean chosen) {
        NDArray n = chosen ? p.chosenTokens() : p.rejectedTokens();
        if (n == null) {
            throw LossChecks.bad(
                    o.name(),
                    (chosen ? "logps.chosenTokens" : "logps.rejectedTokens") + " is missing",
                    "null",
                    "expected (B) token counts: this objective uses per-token means. Use"
                            + " PairLogps.withTokens");
        }
        return n;
    }

    private static NDArray mean(NDArray sum, NDArray count) {
        return Numerics.divByCount(sum, Numerics.asFloat(count, sum.getDataType()));
    }
}
