package dev.reward4j.losses;

import static dev.reward4j.losses.PairInputs.c;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;

/**
 * Reference-free absolute-likelihood objectives (ASFT, MaPO text form). Notation as in {@link
 * AbsoluteLikelihoodObjective}.
 *
 * <p><b>Shapes.</b> Every input is {@code (B)}; token counts are required. Results are attached to
 * the manager of {@code logps.policyChosen()}.
 *
 * <p><b>Normalisation.</b> Per-token means \( x/\max(n,1) \); a response without tokens has mean 0,
 * not NaN.
 *
 * <p><b>Numerics.</b> ASFT's \( \log(1 - e^{\bar\pi}) \) uses the tanh form of {@code log1mExp}
 * with \( \bar\pi \le -10^{-6} \) (the odds are infinite at probability 1, as ORPO). MaPO's \( s(m)
 * = m/(e^m - 1) \) is computed as \( m(1-t)/(2t) \), \( t = \tanh(m/2) \), and replaced by its
 * series \( 1 - m/2 + m^2/12 \) for \( m &lt; 10^{-3} \) (with a safe input in the unused branch,
 * so no 0/0 reaches backward).
 *
 * <p><b>References.</b> "ASFT: Aligned Supervised Fine-Tuning through Absolute Likelihood", arXiv
 * 2409.10571. "Margin-aware Preference Optimization for Aligning Diffusion Models without
 * Reference", arXiv 2406.06424 (authors' {@code train.py} odds-ratio loss).
 */
public final class AbsoluteLikelihoodLosses {
    private static final double MAX_MEAN_LOGP = -1e-6;
    private static final double SERIES_BELOW = 1e-3;

    private AbsoluteLikelihoodLosses() {}

    /**
     * ASFT (see {@link AbsoluteLikelihoodObjective.Asft}).
     *
     * @param o the objective
     * @param logps policy log-probs and token counts {@code (B)}
     * @param weight optional pair weights
     * @param reduction reduction over pairs
     * @return loss and diagnostics; {@code chosenNll} is \( -\bar\pi_c \)
     */
    static PairwiseOutput asft(
            AbsoluteLikelihoodObjective.Asft o,
            PairLogps logps,
            NDArray weight,
            Reduction reduction) {
        PairInputs.check(o.name(), logps, weight, true);
        NDArray mc = PairInputs.mean(logps.policyChosen(), logps.chosenTokens());
        NDArray mr = PairInputs.mean(logps.policyRejected(), logps.rejectedTokens());
        NDArray oc = logOdds(mc);
        NDArray or = logOdds(mr);
        NDArray b = c(mc, o.beta());
        NDArray bc = oc.mul(b);
        NDArray br = or.mul(b);
        NDArray align = Numerics.negLogSigmoid(bc).add(Numerics.negLogSigmoid(br.neg()));
        NDArray nll = mc.neg();
        NDArray loss = nll.add(align.mul(c(mc, o.lambda())));
        return PairwiseOutput.of(loss, bc, br, weight, reduction).withChosenNll(nll.stopGradient());
    }

    /**
     * MaPO text form (see {@link AbsoluteLikelihoodObjective.Mapo}).
     *
     * @param o the objective
     * @param logps policy log-probs and token counts {@code (B)}
     * @param weight optional pair weights
     * @param reduction reduction over pairs
     * @return loss and diagnostics; {@code chosenNll} is \( m_c \)
     */
    static PairwiseOutput mapo(
            AbsoluteLikelihoodObjective.Mapo o,
            PairLogps logps,
            NDArray weight,
            Reduction reduction) {
        PairInputs.check(o.name(), logps, weight, true);
        NDArray nllC = PairInputs.mean(logps.policyChosen(), logps.chosenTokens()).neg();
        NDArray nllR = PairInputs.mean(logps.policyRejected(), logps.rejectedTokens()).neg();
        NDArray sc = boundedScore(nllC);
        NDArray sr = boundedScore(nllR);
        NDArray margin = Numerics.negLogSigmoid(sc.sub(sr).mul(c(sc, o.gamma())));
        NDArray loss = nllC.add(margin.mul(c(sc, o.beta())));
        return PairwiseOutput.of(loss, sc, sr, weight, reduction)
                .withChosenNll(nllC.stopGradient());
    }

    /** \( o = x - \log(1 - e^{x}) \) for a per-token mean log-prob x, clamped below 0. */
    private static NDArray logOdds(NDArray mean) {
        NDArray x = mean.minimum(c(mean, MAX_MEAN_LOGP));
        return x.sub(Numerics.log1mExp(x));
    }

    /** \( s(m) = m/(e^m - 1) \) for \( m \ge 0 \), exact near 0. */
    private static NDArray boundedScore(NDArray m) {
        NDArray small = m.stopGradient().lt(c(m, SERIES_BELOW));
        NDArray safe = NDArrays.where(small, m.onesLike(), m);
        NDArray t = safe.div(c(m, 2)).tanh();
        NDArray exact = safe.mul(t.neg().add(c(m, 1))).div(t.mul(c(m, 2)));
        NDArray series = m.mul(m).div(c(m, 12)).sub(m.div(c(m, 2))).add(c(m, 1));
        return NDArrays.where(small, series, exact);
    }
}
