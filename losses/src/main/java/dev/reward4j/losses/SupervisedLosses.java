package dev.reward4j.losses;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Supervised objectives on token log-probabilities: the weighted, masked negative log-likelihood of
 * class-conditioned SFT (C-RLFT) and of Chain-of-Hindsight sequences, whose loss covers the
 * response tokens only (prompt and feedback tokens are context).
 *
 * <p>\( \ell_b = -\sum_t m_{bt} \log p_{bt} \), reduced with the example weights \( w_b \) by
 * {@link Reduction} (a trainer that wants a token mean over a whole step reduces with {@link
 * Reduction#SUM} and divides by the step's target tokens).
 *
 * <p><b>Shapes.</b> {@code tokenLogps} and {@code targetMask} are {@code (B, T)} of one floating
 * dtype (log-probabilities of the tokens, 0 where undefined; mask 1 on target tokens); {@code
 * weight} is {@code (B)} or null. The result is attached to the manager of {@code tokenLogps}. A
 * fully masked example contributes 0 with zero gradient.
 *
 * <p><b>References.</b> "OpenChat: Advancing Open-source Language Models with Mixed-Quality Data",
 * arXiv:2309.11235 (C-RLFT: reward-weighted regression with class rewards as weights). "Chain of
 * Hindsight Aligns Language Models with Feedback", arXiv:2302.02676 (loss on model-output tokens
 * only).
 */
public final class SupervisedLosses {
    private static final String COMPONENT = "weightedNll";

    private SupervisedLosses() {}

    /**
     * Weighted, masked negative log-likelihood \( \ell_b = -\sum_t m_{bt} \log p_{bt} \).
     *
     * @param tokenLogps {@code (B, T)} token log-probabilities
     * @param targetMask {@code (B, T)} 0/1 (or fractional) token weights, same dtype
     * @param weight optional {@code (B)} example weights, same dtype
     * @param reduction how to combine the per-example losses
     * @return the loss, attached to the manager of {@code tokenLogps}
     */
    public static NDArray weightedNll(
            NDArray tokenLogps, NDArray targetMask, NDArray weight, Reduction reduction) {
        LossChecks.floating(COMPONENT, "tokenLogps", tokenLogps, 2, "(B, T) token log-probs");
        LossChecks.floating(COMPONENT, "targetMask", targetMask);
        LossChecks.sameShape(
                COMPONENT, "targetMask", targetMask, "tokenLogps", tokenLogps.getShape());
        LossChecks.sameDtype(COMPONENT, "targetMask", targetMask, "tokenLogps", tokenLogps);
        Shape b = new Shape(tokenLogps.getShape().get(0));
        LossChecks.optional(COMPONENT, "weight", weight, "the batch", b, tokenLogps.getDataType());
        if (reduction == null) {
            throw LossChecks.bad(
                    COMPONENT, "reduction is missing", "null", "expected NONE, MEAN or SUM");
        }
        NDArray perExample = tokenLogps.mul(targetMask).sum(new int[] {1}).neg();
        return reduction.reduce(perExample, weight);
    }
}
