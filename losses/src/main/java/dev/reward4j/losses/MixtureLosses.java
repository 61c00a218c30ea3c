package dev.reward4j.losses;

import static dev.reward4j.losses.Numerics.scalar;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Objectives over K Bradley-Terry reward heads.
 *
 * <p><b>Shapes.</b> Head rewards, router logits and responsibilities are {@code (B, K)}, weights
 * {@code (B)}, one floating dtype. With \( d_k = r_{c,k} - r_{r,k} \) per pair. Results are
 * attached to the manager of {@code pair.chosen()}.
 *
 * <p><b>Numerics.</b> \( \log\sigma(d) = -\mathrm{softplus}(-d) \); the mixture log-likelihood \(
 * \log\sum_k e^{\log w_k + \log\sigma(d_k)} \) is a log-sum-exp with the row maximum subtracted,
 * and \( \log w = \mathrm{logSoftmax}(a) \), so no probability underflows.
 *
 * <p><b>References.</b> Mixture with a router: "MiCRo: Mixture Modeling and Context-aware Routing
 * for Personalized Preference Learning", arXiv 2505.24846. EM over preference clusters:
 * "MaxMin-RLHF: Towards Equitable Alignment of Large Language Models with Diverse Human
 * Preferences", arXiv 2402.08925.
 */
public final class MixtureLosses {
    private MixtureLosses() {}

    /**
     * Mixture BT: \( \ell_b = -\log\sum_k w_{bk}\,\sigma(d_{bk}) \), \( w_b = \mathrm{softmax}(a_b)
     * \) (uniform \( 1/K \) without router logits). Diagnostics: {@code probability} \( = \sum_k
     * w_k \sigma(d_k) = e^{-\ell} \).
     *
     * @param pair head rewards {@code (B, K)}, optional router logits {@code (B, K)}
     * @param weight optional {@code (B)} example weights, or null
     * @param reduction reduction over pairs
     * @return loss and diagnostics, attached to the manager of {@code pair.chosen()}
     */
    public static PreferenceOutput mixtureBt(HeadPair pair, NDArray weight, Reduction reduction) {
        String c = "mixture-bt";
        Shape s = check(c, pair, weight);
        NDArray d = pair.chosen().sub(pair.rejected());
        NDArray logSigmoid = Numerics.logSigmoid(d);
        NDArray logP;
        if (pair.routerLogits() == null) {
            logP = logSumExpRows(logSigmoid).sub(scalar(d, Math.log(s.get(1))));
        } else {
            LossChecks.optional(
                    c,
                    "pair.routerLogits",
                    pair.routerLogits(),
                    "pair.chosen",
                    s,
                    pair.chosen().getDataType());
            logP = logSumExpRows(pair.routerLogits().logSoftmax(1).add(logSigmoid));
        }
        return PreferenceOutput.of(logP.neg(), logP.exp(), weight, reduction);
    }

    /**
     * Responsibility-weighted BT: \( \ell_b = \sum_k \rho_{bk}\,\mathrm{softplus}(-d_{bk}) \) with
     * constant \( \rho \) (required). Diagnostics: {@code probability} \( = \sum_k \rho_k
     * \sigma(d_k) \).
     *
     * @param pair head rewards {@code (B, K)} and responsibilities {@code (B, K)}
     * @param weight optional {@code (B)} example weights, or null
     * @param reduction reduction over pairs
     * @return loss and diagnostics, attached to the manager of {@code pair.chosen()}
     */
    public static PreferenceOutput responsibilityBt(
            HeadPair pair, NDArray weight, Reduction reduction) {
        String c = "responsibility-bt";
        Shape s = check(c, pair, weight);
        LossChecks.required(c, "pair.responsibilities", pair.responsibilities(), "of shape (B, K)");
        NDArray rho =
                LossChecks.optional(
                                c,
                                "pair.responsibilities",
                                pair.responsibilities(),
                                "pair.chosen",
                                s,
                                pair.chosen().getDataType())
                        .stopGradient();
        NDArray d = pair.chosen().sub(pair.rejected());
        NDArray loss = Numerics.negLogSigmoid(d).mul(rho).sum(new int[] {1});
        NDArray p = Numerics.sigmoid(d).mul(rho).sum(new int[] {1});
        return PreferenceOutput.of(loss, p, weight, reduction);
    }

    /** \( \log\sum_k e^{x_k} \) over axis 1 with the (detached) row maximum subtracted. */
    private static NDArray logSumExpRows(NDArray x) {
        NDArray max = x.max(new int[] {1}, true).stopGradient();
        return x.sub(max).exp().sum(new int[] {1}).log().add(max.squeeze(1));
    }

    private static Shape check(String c, HeadPair pair, NDArray weight) {
        if (pair == null) {
            throw LossChecks.bad(c, "pair is missing", "null", "expected a HeadPair");
        }
        LossChecks.floating(c, "pair.chosen", pair.chosen(), 2, "(B, K): one reward per head");
        Shape s = pair.chosen().getShape();
        LossChecks.floating(c, "pair.rejected", pair.rejected());
        LossChecks.sameShape(c, "pair.rejected", pair.rejected(), "pair.chosen", s);
        LossChecks.sameDtype(c, "pair.rejected", pair.rejected(), "pair.chosen", pair.chosen());
        LossChecks.optional(
                c,
                "weight",
                weight,
                "pair.chosen rows",
                new Shape(s.get(0)),
                pair.chosen().getDataType());
        return s;
    }
}
