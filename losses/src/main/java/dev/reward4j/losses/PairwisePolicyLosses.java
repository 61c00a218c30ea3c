package dev.reward4j.losses;

import static dev.reward4j.losses.Numerics.scalar;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.reward4j.losses.PairwisePolicyObjective.Aot;
import dev.reward4j.losses.PairwisePolicyObjective.AotUnpaired;
import dev.reward4j.losses.PairwisePolicyObjective.ApoDown;
import dev.reward4j.losses.PairwisePolicyObjective.ApoZero;
import dev.reward4j.losses.PairwisePolicyObjective.BcoPair;
import dev.reward4j.losses.PairwisePolicyObjective.Combination;
import dev.reward4j.losses.PairwisePolicyObjective.ConservativeDpo;
import dev.reward4j.losses.PairwisePolicyObjective.Cpo;
import dev.reward4j.losses.PairwisePolicyObjective.DiscoPop;
import dev.reward4j.losses.PairwisePolicyObjective.Dpo;
import dev.reward4j.losses.PairwisePolicyObjective.ExoPair;
import dev.reward4j.losses.PairwisePolicyObjective.FDpo;
import dev.reward4j.losses.PairwisePolicyObjective.Hinge;
import dev.reward4j.losses.PairwisePolicyObjective.Ipo;
import dev.reward4j.losses.PairwisePolicyObjective.LengthNormalizedDpo;
import dev.reward4j.losses.PairwisePolicyObjective.NcaPair;
import dev.reward4j.losses.PairwisePolicyObjective.Orpo;
import dev.reward4j.losses.PairwisePolicyObjective.RobustDpo;
import dev.reward4j.losses.PairwisePolicyObjective.Sft;
import dev.reward4j.losses.PairwisePolicyObjective.SimPo;
import dev.reward4j.losses.PairwisePolicyObjective.SppoHard;

/**
 * Pairwise preference-optimisation objectives (the DPO family) on sequence log-probs, following
 * TRL's formulas. Notation as in {@link PairwisePolicyObjective}.
 *
 * <p><b>Shapes.</b> Every input of {@link PairLogps} and the weight are {@code (B)}; log-probs are
 * floating sums over response tokens; token counts may be integer. Results are attached to the
 * manager of {@code logps.policyChosen()}.
 *
 * <p><b>Normalisation (sum vs mean over tokens).</b> DPO, cDPO, rDPO, hinge, f-DPO, CPO and the TRL
 * catalogue ({@code exo_pair} ... {@code discopop}) use summed log-probs. IPO, length-normalised
 * DPO, SimPO and ORPO use per-token means \( x/\max(n,1) \) (as TRL's {@code ipo}, SimPO and ORPO
 * paths); SFT and the NLL terms use token means. A response with zero tokens gives a mean of 0, not
 * NaN (the failure of trl#1033).
 *
 * <p><b>Structure.</b> Each objective record's {@code apply} calls its own public function here;
 * {@link #compute} is the generic entry point and delegates to the record.
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
 * <p><b>References.</b> DPO: "Direct Preference Optimization: Your Language Model is Secretly a
 * Reward Model", arXiv 2305.18290, eq. 7. cDPO: "A note on DPO with noisy preferences and
 * relationship to IPO" (2023). rDPO: "Provably Robust DPO: Aligning Language Models with Noisy
 * Feedback", arXiv 2403.00409. IPO: "A General Theoretical Paradigm to Understand Learning from
 * Human Preferences", arXiv 2310.12036, eq. 17. Hinge: "SLiC-HF: Sequence Likelihood Calibration
 * with Human Feedback", arXiv 2305.10425; "Statistical Rejection Sampling Improves Preference
 * Optimization" (RSO), arXiv 2309.06657. f-DPO: "Beyond Reverse KL: Generalizing Direct Preference
 * Optimization with Diverse Divergence Constraints", arXiv 2309.16240. Length-normalised DPO: "Tulu
 * 3: Pushing Frontiers in Open Language Model Post-Training", arXiv 2411.15124. SimPO: "SimPO:
 * Simple Preference Optimization with a Reference-Free Reward", arXiv 2405.14734. ORPO: "ORPO:
 * Monolithic Preference Optimization without Reference Model", arXiv 2403.07691, eqs. 4-7. CPO:
 * "Contrastive Preference Optimization: Pushing the Boundaries of LLM Performance in Machine
 * Translation", arXiv 2401.08417. AlphaPO: "AlphaPO: Reward Shape Matters for LLM Alignment", arXiv
 * 2501.03884. EXO: "Towards Efficient Exact Optimization of Language Model Alignment", arXiv
 * 2402.00856, eq. 16. NCA: "Noise Contrastive Alignment of Language Models with Explicit Rewards",
 * arXiv 2402.05369. BCO: "Binary Classifier Optimization for Large Language Model Alignment", arXiv
 * 2404.04656. SPPO: "Self-Play Preference Optimization for Language Model Alignment", arXiv
 * 2405.00675. AOT: "Distributional Preference Alignment of LLMs via Optimal Transport", arXiv
 * 2406.05882. APO: "Anchored Preference Optimization and Contrastive Revisions: Addressing
 * Underspecification in Alignment", arXiv 2408.06266, eqs. 7-8. DiscoPOP: "Discovering Preference
 * Optimization Algorithms with and for Large Language Models", arXiv 2406.08414, eq. 5. WPO: "WPO:
 * Enhancing RLHF with Weighted Preference Optimization", arXiv 2406.11827, eq. 2. LD-DPO: "Length
 * Desensitization in Direct Preference Optimization", arXiv 2409.06411. MPO: "Enhancing the
 * Reasoning Ability of Multimodal Large Language Models via Mixed Preference Optimization", arXiv
 * 2411.10442.
 */
public final class PairwisePolicyLosses {
    private static final double ORPO_MAX_MEAN_LOGP = -1e-6;

    private PairwisePolicyLosses() {}

    /**
     * Computes any pairwise policy objective: delegates to the record's {@link
     * PairwisePolicyObjective#apply}, which calls its own function of this class.
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
        return objective.apply(logps, weight, reduction);
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
        PairLogps p = check(objective, logps, weight, reduction);
        return sigmoid(objective.beta(), ratioC(p), ratioR(p), 0, 0).output(weight, reduction);
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
        PairLogps p = check(objective, logps, weight, reduction);
        return sigmoid(objective.beta(), ratioC(p), ratioR(p), 0, objective.epsilon())
                .output(weight, reduction);
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
        PairLogps p = check(objective, logps, weight, reduction);
        NDArray rc = ratioC(p);
        NDArray rr = ratioR(p);
        NDArray z = rc.sub(rr).mul(scalar(rc, objective.beta()));
        double e = objective.epsilon();
        NDArray loss =
                Numerics.negLogSigmoid(z)
                        .mul(scalar(rc, 1 - e))
                        .sub(Numerics.softPlus(z).mul(scalar(rc, e)))
                        .div(scalar(rc, 1 - 2 * e));
        return Terms.scaled(loss, rc, rr, objective.beta()).output(weight, reduction);
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
        PairLogps p = check(objective, logps, weight, reduction);
        NDArray rc = mean(ratioC(p), tokens(objective, p, true));
        NDArray rr = mean(ratioR(p), tokens(objective, p, false));
        NDArray loss = rc.sub(rr).sub(scalar(rc, 1 / (2 * objective.beta()))).square();
        return Terms.scaled(loss, rc, rr, objective.beta()).output(weight, reduction);
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
        PairLogps p = check(objective, logps, weight, reduction);
        NDArray rc = ratioC(p);
        NDArray rr = ratioR(p);
        NDArray loss =
                Numerics.relu(rc.sub(rr).mul(scalar(rc, -objective.beta())).add(scalar(rc, 1)));
        return Terms.scaled(loss, rc, rr, objective.beta()).output(weight, reduction);
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
        PairLogps p = check(objective, logps, weight, reduction);
        NDArray rc = ratioC(p);
        NDArray rr = ratioR(p);
        NDArray g = objective.divergence().difference(rc, rr);
        NDArray loss = Numerics.negLogSigmoid(g.mul(scalar(rc, objective.beta())));
        return Terms.scaled(loss, rc, rr, objective.beta()).output(weight, reduction);
    }

    /**
     * Length-normalised DPO (see {@link LengthNormalizedDpo}). Result attached to the manager of
     * {@code logps.policyChosen()}.
     *
     * @param logps sequence log-probs, each {@code (B)}
     * @param objective the objective and its hyperparameters
     * @param weight optional {@code (B)} example weights, or null
     * @param reduction how to combine the per-example losses
     * @return loss and diagnostics, attached to the manager of {@code logps.policyChosen()}
     */
    public static PairwiseOutput lengthNormalizedDpo(
            PairLogps logps, LengthNormalizedDpo objective, NDArray weight, Reduction reduction) {
        PairLogps p = check(objective, logps, weight, reduction);
        NDArray rc = mean(ratioC(p), tokens(objective, p, true));
        NDArray rr = mean(ratioR(p), tokens(objective, p, false));
        return sigmoid(objective.beta(), rc, rr, 0, 0).output(weight, reduction);
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
        PairLogps p = check(objective, logps, weight, reduction);
        NDArray mc = mean(p.policyChosen(), tokens(objective, p, true));
        NDArray mr = mean(p.policyRejected(), tokens(objective, p, false));
        return sigmoid(objective.beta(), mc, mr, objective.gamma(), objective.labelSmoothing())
                .output(weight, reduction);
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
        PairLogps p = check(objective, logps, weight, reduction);
        NDArray cap = scalar(p.policyChosen(), ORPO_MAX_MEAN_LOGP);
        NDArray mc = mean(p.policyChosen(), tokens(objective, p, true)).minimum(cap);
        NDArray mr = mean(p.policyRejected(), tokens(objective, p, false)).minimum(cap);
        NDArray logOdds = mc.sub(mr).sub(Numerics.log1mExp(mc).sub(Numerics.log1mExp(mr)));
        NDArray loss = Numerics.negLogSigmoid(logOdds).mul(scalar(mc, objective.beta()));
        return Terms.scaled(loss, mc, mr, objective.beta()).output(weight, reduction);
    }

    /**
     * CPO preference term, with AlphaPO's reward shape when {@code alpha != 0} (see {@link Cpo}).
     * Result attached to the manager of {@code logps.policyChosen()}.
     *
     * @param logps sequence log-probs, each {@code (B)}
     * @param objective the objective and its hyperparameters
     * @param weight optional {@code (B)} example weights, or null
     * @param reduction how to combine the per-example losses
     * @return loss and diagnostics, attached to the manager of {@code logps.policyChosen()}
     */
    public static PairwiseOutput cpo(
            PairLogps logps, Cpo objective, NDArray weight, Reduction reduction) {
        PairLogps p = check(objective, logps, weight, reduction);
        NDArray rc = p.policyChosen();
        NDArray rr = p.policyRejected();
        if (objective.alpha() != 0) {
            // AlphaPO: r = (1 - p^-alpha) / alpha with p = e^logp
            // (exponent capped so that beta * (r_c - r_r) stays finite)
            double al = objective.alpha();
            double b = objective.beta();
            NDArray a = scalar(rc, -al);
            NDArray inv = scalar(rc, 1 / al);
            NDArray one = scalar(rc, 1);
            rc = Numerics.cappedExp(rc.mul(a), 1 / al, b).neg().add(one).mul(inv);
            rr = Numerics.cappedExp(rr.mul(a), 1 / al, b).neg().add(one).mul(inv);
        }
        return sigmoid(objective.beta(), rc, rr, 0, objective.labelSmoothing())
                .output(weight, reduction);
    }

    /**
     * EXO, pairwise (see {@link ExoPair}). Result attached to the manager of {@code
     * logps.policyChosen()}.
     *
     * @param logps sequence log-probs, each {@code (B)}
     * @param objective the objective and its hyperparameters
     * @param weight optional {@code (B)} example weights, or null
     * @param reduction how to combine the per-example losses
     * @return loss and diagnostics, attached to the manager of {@code logps.policyChosen()}
     */
    public static PairwiseOutput exoPair(
            PairLogps logps, ExoPair objective, NDArray weight, Reduction reduction) {
        PairLogps p = check(objective, logps, weight, reduction);
        NDArray rc = ratioC(p);
        NDArray rr = ratioR(p);
        NDArray z = rc.sub(rr).mul(scalar(rc, objective.beta()));
        double eps = objective.epsilon();
        NDArray chosen =
                Numerics.sigmoid(z).mul(Numerics.logSigmoid(z).sub(scalar(rc, Math.log1p(-eps))));
        NDArray rejected =
                Numerics.sigmoid(z.neg())
                        .mul(Numerics.logSigmoid(z.neg()).sub(scalar(rc, Math.log(eps))));
        return Terms.scaled(chosen.add(rejected), rc, rr, objective.beta())
                .output(weight, reduction);
    }

    /**
     * NCA, pairwise (see {@link NcaPair}). Result attached to the manager of {@code
     * logps.policyChosen()}.
     *
     * @param logps sequence log-probs, each {@code (B)}
     * @param objective the objective and its hyperparameters
     * @param weight optional {@code (B)} example weights, or null
     * @param reduction how to combine the per-example losses
     * @return loss and diagnostics, attached to the manager of {@code logps.policyChosen()}
     */
    public static PairwiseOutput ncaPair(
            PairLogps logps, NcaPair objective, NDArray weight, Reduction reduction) {
        PairLogps p = check(objective, logps, weight, reduction);
        NDArray rc = ratioC(p).mul(scalar(p.policyChosen(), objective.beta()));
        NDArray rr = ratioR(p).mul(scalar(p.policyChosen(), objective.beta()));
        NDArray half = scalar(rc, 0.5);
        NDArray loss =
                Numerics.negLogSigmoid(rc)
                        .add(Numerics.softPlus(rc).mul(half))
                        .add(Numerics.softPlus(rr).mul(half));
        return new Terms(loss, rc, rr).output(weight, reduction);
    }

    /**
     * BCO, paired (see {@link BcoPair}). Result attached to the manager of {@code
     * logps.policyChosen()}.
     *
     * @param logps sequence log-probs, each {@code (B)}
     * @param objective the objective and its hyperparameters
     * @param weight optional {@code (B)} example weights, or null
     * @param reduction how to combine the per-example losses
     * @return loss and diagnostics, attached to the manager of {@code logps.policyChosen()}
     */
    public static PairwiseOutput bcoPair(
            PairLogps logps, BcoPair objective, NDArray weight, Reduction reduction) {
        PairLogps p = check(objective, logps, weight, reduction);
        NDArray rc = ratioC(p).mul(scalar(p.policyChosen(), objective.beta()));
        NDArray rr = ratioR(p).mul(scalar(p.policyChosen(), objective.beta()));
        NDArray loss = Numerics.negLogSigmoid(rc).add(Numerics.softPlus(rr));
        return new Terms(loss, rc, rr).output(weight, reduction);
    }

    /**
     * SPPO with hard probabilities (see {@link SppoHard}). Result attached to the manager of {@code
     * logps.policyChosen()}.
     *
     * @param logps sequence log-probs, each {@code (B)}
     * @param objective the objective and its hyperparameters
     * @param weight optional {@code (B)} example weights, or null
     * @param reduction how to combine the per-example losses
     * @return loss and diagnostics, attached to the manager of {@code logps.policyChosen()}
     */
    public static PairwiseOutput sppoHard(
            PairLogps logps, SppoHard objective, NDArray weight, Reduction reduction) {
        PairLogps p = check(objective, logps, weight, reduction);
        NDArray rc = ratioC(p);
        NDArray rr = ratioR(p);
        NDArray half = scalar(rc, 0.5 / objective.beta());
        NDArray loss = rc.sub(half).square().add(rr.add(half).square());
        return Terms.scaled(loss, rc, rr, objective.beta()).output(weight, reduction);
    }

    /**
     * AOT, paired (see {@link Aot}); per-example losses are per rank. Result attached to the
     * manager of {@code logps.policyChosen()}.
     *
     * @param logps sequence log-probs, each {@code (B)}
     * @param objective the objective and its hyperparameters
     * @param weight optional {@code (B)} example weights, or null
     * @param reduction how to combine the per-example losses
     * @return loss and diagnostics, attached to the manager of {@code logps.policyChosen()}
     */
    public static PairwiseOutput aot(
            PairLogps logps, Aot objective, NDArray weight, Reduction reduction) {
        PairLogps p = check(objective, logps, weight, reduction);
        NDArray x = p.policyChosen().sub(p.policyRejected());
        NDArray y =
                p.referenceChosen() == null
                        ? x.zerosLike().stopGradient()
                        : p.referenceChosen().sub(p.referenceRejected());
        return sortedRanks(
                p, x, y, objective.beta(), objective.labelSmoothing(), weight, reduction);
    }

    /**
     * AOT, unpaired (see {@link AotUnpaired}); per-example losses are per rank. Result attached to
     * the manager of {@code logps.policyChosen()}.
     *
     * @param logps sequence log-probs, each {@code (B)}
     * @param objective the objective and its hyperparameters
     * @param weight optional {@code (B)} example weights, or null
     * @param reduction how to combine the per-example losses
     * @return loss and diagnostics, attached to the manager of {@code logps.policyChosen()}
     */
    public static PairwiseOutput aotUnpaired(
            PairLogps logps, AotUnpaired objective, NDArray weight, Reduction reduction) {
        PairLogps p = check(objective, logps, weight, reduction);
        return sortedRanks(
                p,
                ratioC(p),
                ratioR(p),
                objective.beta(),
                objective.labelSmoothing(),
                weight,
                reduction);
    }

    /**
     * APO-zero (see {@link ApoZero}). Result attached to the manager of {@code
     * logps.policyChosen()}.
     *
     * @param logps sequence log-probs, each {@code (B)}
     * @param objective the objective and its hyperparameters
     * @param weight optional {@code (B)} example weights, or null
     * @param reduction how to combine the per-example losses
     * @return loss and diagnostics, attached to the manager of {@code logps.policyChosen()}
     */
    public static PairwiseOutput apoZero(
            PairLogps logps, ApoZero objective, NDArray weight, Reduction reduction) {
        PairLogps p = check(objective, logps, weight, reduction);
        NDArray rc = ratioC(p);
        NDArray rr = ratioR(p);
        NDArray b = scalar(rc, objective.beta());
        NDArray loss = Numerics.sigmoid(rc.mul(b).neg()).add(Numerics.sigmoid(rr.mul(b)));
        return Terms.scaled(loss, rc, rr, objective.beta()).output(weight, reduction);
    }

    /**
     * APO-down (see {@link ApoDown}). Result attached to the manager of {@code
     * logps.policyChosen()}.
     *
     * @param logps sequence log-probs, each {@code (B)}
     * @param objective the objective and its hyperparameters
     * @param weight optional {@code (B)} example weights, or null
     * @param reduction how to combine the per-example losses
     * @return loss and diagnostics, attached to the manager of {@code logps.policyChosen()}
     */
    public static PairwiseOutput apoDown(
            PairLogps logps, ApoDown objective, NDArray weight, Reduction reduction) {
        PairLogps p = check(objective, logps, weight, reduction);
        NDArray rc = ratioC(p);
        NDArray rr = ratioR(p);
        NDArray b = scalar(rc, objective.beta());
        NDArray loss = Numerics.sigmoid(rc.mul(b)).add(Numerics.sigmoid(rc.sub(rr).mul(b).neg()));
        return Terms.scaled(loss, rc, rr, objective.beta()).output(weight, reduction);
    }

    /**
     * DiscoPOP (see {@link DiscoPop}). Result attached to the manager of {@code
     * logps.policyChosen()}.
     *
     * @param logps sequence log-probs, each {@code (B)}
     * @param objective the objective and its hyperparameters
     * @param weight optional {@code (B)} example weights, or null
     * @param reduction how to combine the per-example losses
     * @return loss and diagnostics, attached to the manager of {@code logps.policyChosen()}
     */
    public static PairwiseOutput discoPop(
            PairLogps logps, DiscoPop objective, NDArray weight, Reduction reduction) {
        PairLogps p = check(objective, logps, weight, reduction);
        NDArray rc = ratioC(p);
        NDArray rr = ratioR(p);
        NDArray z = rc.sub(rr).mul(scalar(rc, objective.beta()));
        NDArray zt = z.div(scalar(rc, objective.tau()));
        // (1 - m) softplus(-z) + m e^{-z}, m = sigmoid(z / tau), m e^{-z} = e^{-z -
        // softplus(-z/tau)}
        NDArray logistic = Numerics.sigmoid(zt.neg()).mul(Numerics.softPlus(z.neg()));
        NDArray exponential = Numerics.cappedExp(z.neg().sub(Numerics.softPlus(zt.neg())));
        return Terms.scaled(logistic.add(exponential), rc, rr, objective.beta())
                .output(weight, reduction);
    }

    /**
     * SFT on the chosen responses (see {@link Sft}). Result attached to the manager of {@code
     * logps.policyChosen()}.
     *
     * @param logps sequence log-probs, each {@code (B)}
     * @param objective the objective and its hyperparameters
     * @param weight optional {@code (B)} example weights, or null
     * @param reduction how to combine the per-example losses
     * @return loss and diagnostics, attached to the manager of {@code logps.policyChosen()}
     */
    public static PairwiseOutput sft(
            PairLogps logps, Sft objective, NDArray weight, Reduction reduction) {
        PairLogps p = check(objective, logps, weight, reduction);
        NDArray n = Numerics.asFloat(tokens(objective, p, true), p.policyChosen().getDataType());
        long b = p.policyChosen().getShape().get(0);
        NDArray loss =
                Numerics.divByCount(
                        p.policyChosen().neg().mul(scalar(p.policyChosen(), b)), n.sum());
        return new Terms(loss, p.policyChosen(), p.policyRejected()).output(weight, reduction);
    }

    /**
     * Weighted sum of objectives (see {@link Combination}). Result attached to the manager of
     * {@code logps.policyChosen()}.
     *
     * @param logps sequence log-probs, each {@code (B)}
     * @param objective the objective and its hyperparameters
     * @param weight optional {@code (B)} example weights, or null
     * @param reduction how to combine the per-example losses
     * @return loss and diagnostics, attached to the manager of {@code logps.policyChosen()}
     */
    public static PairwiseOutput combination(
            PairLogps logps, Combination objective, NDArray weight, Reduction reduction) {
        PairLogps p = check(objective, logps, weight, reduction);
        NDArray total = null;
        NDArray perExample = null;
        PairwiseOutput first = null;
        for (int k = 0; k < objective.objectives().size(); k++) {
            PairwiseOutput o = objective.objectives().get(k).apply(p, weight, Reduction.NONE);
            NDArray w = scalar(o.loss(), objective.weights().get(k));
            total = total == null ? o.loss().mul(w) : total.add(o.loss().mul(w));
            perExample =
                    perExample == null
                            ? o.perExample().mul(w)
                            : perExample.add(o.perExample().mul(w));
            first = first == null ? o : first;
        }
        return PairwiseOutput.ofWeighted(
                total, perExample, first.chosenReward(), first.rejectedReward(), weight, reduction);
    }

    /**
     * A preference objective plus the chosen NLL (see {@link
     * PairwisePolicyObjective.WithChosenNll}). Result attached to the manager of {@code
     * logps.policyChosen()}.
     *
     * @param logps sequence log-probs, each {@code (B)}
     * @param objective the objective and its hyperparameters
     * @param weight optional {@code (B)} example weights, or null
     * @param reduction how to combine the per-example losses
     * @return loss and diagnostics, attached to the manager of {@code logps.policyChosen()}
     */
    public static PairwiseOutput withChosenNll(
            PairLogps logps,
            PairwisePolicyObjective.WithChosenNll objective,
            NDArray weight,
            Reduction reduction) {
        PairLogps p = check(objective, logps, weight, reduction);
        PairwiseOutput base = objective.base().apply(p, weight, Reduction.NONE);
        NDArray pc = p.policyChosen();
        NDArray n = Numerics.asFloat(tokens(objective, p, true), pc.getDataType());
        NDArray logp = pc;
        if (objective.tokens() == NllTokens.PROMPT_AND_RESPONSE) {
            if (p.policyChosenPrompt() == null || p.chosenPromptTokens() == null) {
                throw LossChecks.bad(
                        objective.name(),
                        "logps.policyChosenPrompt or logps.chosenPromptTokens is missing",
                        "null",
                        "expected (B) prompt log-probs and counts for an NLL over prompt and"
                                + " response tokens. Use PairLogps.withChosenPrompt, or"
                                + " NllTokens.RESPONSE");
            }
            logp = pc.add(p.policyChosenPrompt());
            n = n.add(Numerics.asFloat(p.chosenPromptTokens(), pc.getDataType()));
        }
        NDArray nll;
        if (objective.normalization() == NllNormalization.EXAMPLE_TOKEN_MEAN) {
            nll = Numerics.divByCount(logp.neg(), n);
        } else {
            long b = pc.getShape().get(0);
            nll = Numerics.divByCount(logp.neg().mul(scalar(pc, b)), n.sum());
        }
        NDArray scaled = nll.mul(scalar(pc, objective.coefficient()));
        NDArray weighted = weight == null ? scaled : scaled.mul(weight.stopGradient());
        return PairwiseOutput.ofWeighted(
                        base.loss().add(weighted),
                        base.perExample().add(scaled.stopGradient()),
                        base.chosenReward(),
                        base.rejectedReward(),
                        weight,
                        reduction)
                .withChosenNll(nll.stopGradient());
    }

    /**
     * WPO weighting of a base objective (see {@link PairwisePolicyObjective.Wpo}). Result attached
     * to the manager of {@code logps.policyChosen()}.
     *
     * @param logps sequence log-probs, each {@code (B)}
     * @param objective the objective and its hyperparameters
     * @param weight optional {@code (B)} example weights, or null
     * @param reduction how to combine the per-example losses
     * @return loss and diagnostics, attached to the manager of {@code logps.policyChosen()}
     */
    public static PairwiseOutput wpo(
            PairLogps logps,
            PairwisePolicyObjective.Wpo objective,
            NDArray weight,
            Reduction reduction) {
        PairLogps p = check(objective, logps, weight, reduction);
        PairLogps.Aligned a = p.aligned();
        if (a == null || a.chosen() == null || a.rejected() == null) {
            throw LossChecks.bad(
                    objective.name(),
                    "logps.aligned is missing",
                    "null",
                    "expected (B) aligned mean log-probs of chosen and rejected responses. Use"
                            + " PairLogps.withAligned");
        }
        NDArray pc = p.policyChosen();
        LossChecks.optional(
                objective.name(),
                "logps.aligned.chosen",
                a.chosen(),
                "logps.policyChosen",
                pc.getShape(),
                pc.getDataType());
        LossChecks.optional(
                objective.name(),
                "logps.aligned.rejected",
                a.rejected(),
                "logps.policyChosen",
                pc.getShape(),
                pc.getDataType());
        NDArray w = a.chosen().stopGradient().add(a.rejected().stopGradient());
        w =
                Double.isInfinite(objective.maxWeight())
                        ? Numerics.cappedExp(w)
                        : Numerics.cappedExp(w).minimum(scalar(w, objective.maxWeight()));
        PairwiseOutput base = objective.base().apply(p, weight, Reduction.NONE);
        return PairwiseOutput.ofWeighted(
                base.loss().mul(w),
                base.perExample().mul(w),
                base.chosenReward(),
                base.rejectedReward(),
                weight,
                reduction);
    }

    /**
     * LD-DPO adjustment of a base objective (see {@link
     * PairwisePolicyObjective.LengthDesensitized}). Result attached to the manager of {@code
     * logps.policyChosen()}.
     *
     * @param logps sequence log-probs, each {@code (B)}
     * @param objective the objective and its hyperparameters
     * @param weight optional {@code (B)} example weights, or null
     * @param reduction how to combine the per-example losses
     * @return loss and diagnostics, attached to the manager of {@code logps.policyChosen()}
     */
    public static PairwiseOutput lengthDesensitized(
            PairLogps logps,
            PairwisePolicyObjective.LengthDesensitized objective,
            NDArray weight,
            Reduction reduction) {
        PairLogps p = check(objective, logps, weight, reduction);
        PairLogps.Tails t = p.tails();
        if (t == null || t.policyChosen() == null || t.policyRejected() == null) {
            throw LossChecks.bad(
                    objective.name(),
                    "logps.tails is missing",
                    "null",
                    "expected (B) log-probs of the response tokens past each pair's shorter"
                            + " response. Use PairLogps.withTails");
        }
        if ((p.referenceChosen() != null) != (t.referenceChosen() != null)
                || (p.referenceRejected() != null) != (t.referenceRejected() != null)) {
            throw LossChecks.bad(
                    objective.name(),
                    "reference tails do not match the reference log-probs",
                    t.referenceChosen() == null ? "referenceChosen tail=null" : "extra tails",
                    "expected reference tails exactly when reference log-probs are given");
        }
        NDArray pc = p.policyChosen();
        for (NDArray a :
                new NDArray[] {
                    t.policyChosen(), t.policyRejected(), t.referenceChosen(), t.referenceRejected()
                }) {
            LossChecks.optional(
                    objective.name(),
                    "logps.tails",
                    a,
                    "logps.policyChosen",
                    pc.getShape(),
                    pc.getDataType());
        }
        // log pi = shared + alpha tail = full - (1 - alpha) tail
        NDArray drop = scalar(pc, 1 - objective.alpha());
        PairLogps adjusted =
                new PairLogps(
                        pc.sub(t.policyChosen().mul(drop)),
                        p.policyRejected().sub(t.policyRejected().mul(drop)),
                        p.referenceChosen() == null
                                ? null
                                : p.referenceChosen().sub(t.referenceChosen().mul(drop)),
                        p.referenceRejected() == null
                                ? null
                                : p.referenceRejected().sub(t.referenceRejected().mul(drop)),
                        p.chosenTokens(),
                        p.rejectedTokens(),
                        p.policyChosenPrompt(),
                        p.chosenPromptTokens(),
                        null,
                        p.aligned());
        return objective.base().apply(adjusted, weight, reduction);
    }

    /** Per-example loss (with gradient) and the two rewards. */
    private record Terms(NDArray loss, NDArray chosenReward, NDArray rejectedReward) {
        /** Rewards {@code beta * x}. */
        static Terms scaled(NDArray loss, NDArray xc, NDArray xr, double beta) {
            return new Terms(loss, xc.mul(scalar(xc, beta)), xr.mul(scalar(xc, beta)));
        }

        PairwiseOutput output(NDArray weight, Reduction reduction) {
            return PairwiseOutput.of(loss, chosenReward, rejectedReward, weight, reduction);
        }
    }

    /**
     * Validates the inputs shared by every objective; returns {@code logps}. Optional arrays must
     * match {@code policyChosen} in shape and dtype.
     */
    private static PairLogps check(
            PairwisePolicyObjective objective,
            PairLogps logps,
            NDArray weight,
            Reduction reduction) {
        String c = objective.name();
        if (reduction == null) {
            throw LossChecks.bad(c, "reduction is missing", "null", "expected a Reduction");
        }
        if (logps == null) {
            throw LossChecks.bad(
                    c, "logps is missing", "null", "expected PairLogps with (B) arrays");
        }
        LossChecks.floating(
                c, "logps.policyChosen", logps.policyChosen(), 1, "(B): summed log-probs per pair");
        Shape s = logps.policyChosen().getShape();
        DataType dt = logps.policyChosen().getDataType();
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
                c, "logps.referenceChosen", logps.referenceChosen(), "logps.policyChosen", s, dt);
        LossChecks.optional(
                c,
                "logps.referenceRejected",
                logps.referenceRejected(),
                "logps.policyChosen",
                s,
                dt);
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
                c,
                "logps.policyChosenPrompt",
                logps.policyChosenPrompt(),
                "logps.policyChosen",
                s,
                dt);
        LossChecks.counts(
                c, "logps.chosenPromptTokens", logps.chosenPromptTokens(), "logps.policyChosen", s);
        LossChecks.optional(c, "weight", weight, "logps.policyChosen", s, dt);
        return logps;
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
        return Terms.scaled(smoothed(z, eps), xc, xr, beta);
    }

    /** \( (1-\varepsilon)\,\mathrm{softplus}(-z) + \varepsilon\,\mathrm{softplus}(z) \). */
    private static NDArray smoothed(NDArray z, double eps) {
        NDArray loss = Numerics.negLogSigmoid(z);
        if (eps > 0) {
            loss = loss.mul(scalar(z, 1 - eps)).add(Numerics.softPlus(z).mul(scalar(z, eps)));
        }
        return loss;
    }

    /**
     * AOT: sorts {@code x} and {@code y} over the batch (rows with weight 0 moved past every kept
     * row, on both sides alike) and applies the smoothed sigmoid loss to \( \beta(\mathrm{sort}(x)
     * - \mathrm{sort}(y)) \) rank by rank; kept ranks have weight 1. Rewards are \( \beta\rho \) in
     * example order.
     */
    private static PairwiseOutput sortedRanks(
            PairLogps p,
            NDArray x,
            NDArray y,
            double beta,
            double eps,
            NDArray weight,
            Reduction reduction) {
        NDArray rankWeight = null;
        NDArray xs = x;
        NDArray ys = y;
        if (weight != null) {
            NDArray keep = Numerics.greater(weight, weight.zerosLike());
            NDArray drop = keep.neg().add(scalar(keep, 1));
            // dropped rows become max + 1 (detached): they sort last, with no gradient
            xs = x.mul(keep).add(drop.mul(x.max().stopGradient().add(scalar(x, 1))));
            ys = y.mul(keep).add(drop.mul(y.max().stopGradient().add(scalar(x, 1))));
            rankWeight = drop.sort(0).neg().add(scalar(keep, 1));
        }
        NDArray delta = xs.sort(0).sub(ys.sort(0));
        NDArray loss = smoothed(delta.mul(scalar(delta, beta)), eps);
        Terms rewards = Terms.scaled(loss, ratioC(p), ratioR(p), beta);
        return PairwiseOutput.of(
                loss, rewards.chosenReward(), rewards.rejectedReward(), rankWeight, reduction);
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
