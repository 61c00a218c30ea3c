package dev.reward4j.losses;

import ai.djl.ndarray.NDArray;

/**
 * Sequence log-probabilities of a batch of preference pairs, the input of every {@link
 * PairwisePolicyObjective}.
 *
 * <p>Each array is {@code (B)}. A sequence log-prob is the <b>sum</b> over the response
 * (completion) tokens of \( \log p(y_t \mid x, y_{&lt;t}) \) — e.g. {@code
 * tokenLogps.mul(responseMask).sum(1)}. Objectives that need per-token means (IPO,
 * length-normalised DPO, SimPO, ORPO, the chosen NLL) divide by the token counts themselves, using
 * {@code max(count, 1)} so that a response with no tokens gives 0, never NaN.
 *
 * <p>The chosen prompt's log-probs are optional: TRL's ORPO averages its NLL term over the prompt
 * and the response tokens of the chosen sequence ({@link NllTokens#PROMPT_AND_RESPONSE}); a trainer
 * computes them in the same forward as the response log-probs ({@link #withChosenPrompt}).
 *
 * @param policyChosen \( \log\pi_\theta(y_c|x) \) {@code (B)} (differentiable)
 * @param policyRejected \( \log\pi_\theta(y_r|x) \) {@code (B)} (differentiable)
 * @param referenceChosen \( \log\pi_{ref}(y_c|x) \) {@code (B)}, or null for reference-free use
 *     (treated as 0); ignored by SimPO, ORPO and CPO
 * @param referenceRejected \( \log\pi_{ref}(y_r|x) \) {@code (B)}, or null (see above)
 * @param chosenTokens number of response tokens of the chosen responses {@code (B)} (integer or
 *     floating), or null when no objective in use needs it
 * @param rejectedTokens as {@code chosenTokens} for the rejected responses
 * @param policyChosenPrompt \( \sum_t \log\pi_\theta(x_t|x_{&lt;t}) \) over the chosen sequence's
 *     prompt tokens that the model predicts (every prompt token but the first) {@code (B)}
 *     (differentiable), or null
 * @param chosenPromptTokens the number of those prompt tokens {@code (B)}, or null
 * @param tails the log-probs of each pair's response tokens beyond the shorter response (LD-DPO,
 *     {@link PairwisePolicyObjective.LengthDesensitized}), or null
 * @param aligned WPO's per-token mean aligned log-probs ({@link PairwisePolicyObjective.Wpo}), or
 *     null
 */
public record PairLogps(
        NDArray policyChosen,
        NDArray policyRejected,
        NDArray referenceChosen,
        NDArray referenceRejected,
        NDArray chosenTokens,
        NDArray rejectedTokens,
        NDArray policyChosenPrompt,
        NDArray chosenPromptTokens,
        Tails tails,
        Aligned aligned) {

    /**
     * Summed log-probs of the response tokens past the shared length \( \min(n_c, n_r) \) of a pair
     * (the "verbose" tail of the longer response; 0 for the shorter one), for LD-DPO: TRL's {@code
     * ld_alpha} computes \( \log\pi = \log\pi_{shared} + \alpha \log\pi_{tail} \) for the policy
     * and the reference. Each array {@code (B)}; the reference arrays are null when the objective
     * is used reference-free.
     *
     * @param policyChosen policy tail of the chosen responses (differentiable)
     * @param policyRejected policy tail of the rejected responses (differentiable)
     * @param referenceChosen reference tail of the chosen responses, or null
     * @param referenceRejected reference tail of the rejected responses, or null
     */
    public record Tails(
            NDArray policyChosen,
            NDArray policyRejected,
            NDArray referenceChosen,
            NDArray referenceRejected) {}

    /**
     * WPO's per-sequence aligned log-probs (TRL {@code use_weighting}): \( \frac{1}{n}\sum_t (\log
     * p_\theta(y_t) - \log\sum_v p_\theta(v)^2) \) over the response tokens, detached, each {@code
     * (B)}. A trainer computes the per-token \( \log\sum_v p(v)^2 \) from the full vocabulary
     * distribution of the same forward.
     *
     * @param chosen aligned mean log-probs of the chosen responses
     * @param rejected aligned mean log-probs of the rejected responses
     */
    public record Aligned(NDArray chosen, NDArray rejected) {}

    /**
     * Response log-probs and token counts only (no prompt, tails or WPO inputs).
     *
     * @param policyChosen see the record description
     * @param policyRejected see the record description
     * @param referenceChosen see the record description
     * @param referenceRejected see the record description
     * @param chosenTokens see the record description
     * @param rejectedTokens see the record description
     */
    public PairLogps(
            NDArray policyChosen,
            NDArray policyRejected,
            NDArray referenceChosen,
            NDArray referenceRejected,
            NDArray chosenTokens,
            NDArray rejectedTokens) {
        this(
                policyChosen,
                policyRejected,
                referenceChosen,
                referenceRejected,
                chosenTokens,
                rejectedTokens,
                null,
                null,
                null,
                null);
    }

    /**
     * Policy and reference sums without token counts.
     *
     * @param policyChosen summed policy log-probs of the chosen responses {@code (B)}
     * @param policyRejected summed policy log-probs of the rejected responses {@code (B)}
     * @param referenceChosen summed reference log-probs of the chosen responses {@code (B)}
     * @param referenceRejected summed reference log-probs of the rejected responses {@code (B)}
     * @return the inputs
     */
    public static PairLogps of(
            NDArray policyChosen,
            NDArray policyRejected,
            NDArray referenceChosen,
            NDArray referenceRejected) {
        return new PairLogps(
                policyChosen, policyRejected, referenceChosen, referenceRejected, null, null);
    }

    /**
     * Policy sums only (reference-free objectives: SimPO, ORPO, CPO, or reference-free DPO).
     *
     * @param policyChosen summed policy log-probs of the chosen responses {@code (B)}
     * @param policyRejected summed policy log-probs of the rejected responses {@code (B)}
     * @return the inputs
     */
    public static PairLogps referenceFree(NDArray policyChosen, NDArray policyRejected) {
        return new PairLogps(policyChosen, policyRejected, null, null, null, null);
    }

    /**
     * A copy with the token counts set.
     *
     * @param chosenTokens response token counts of the chosen responses {@code (B)}
     * @param rejectedTokens response token counts of the rejected responses {@code (B)}
     * @return the inputs
     */
    public PairLogps withTokens(NDArray chosenTokens, NDArray rejectedTokens) {
        return new PairLogps(
                policyChosen,
                policyRejected,
                referenceChosen,
                referenceRejected,
                chosenTokens,
                rejectedTokens,
                policyChosenPrompt,
                chosenPromptTokens,
                tails,
                aligned);
    }

    /**
     * A copy with the chosen prompt's summed policy log-probs and token count (for an NLL over
     * prompt and response tokens, {@link NllTokens#PROMPT_AND_RESPONSE}).
     *
     * @param promptLogps summed policy log-probs of the predicted prompt tokens {@code (B)}
     * @param promptTokens the number of those tokens {@code (B)}
     * @return the inputs
     */
    public PairLogps withChosenPrompt(NDArray promptLogps, NDArray promptTokens) {
        return new PairLogps(
                policyChosen,
                policyRejected,
                referenceChosen,
                referenceRejected,
                chosenTokens,
                rejectedTokens,
                promptLogps,
                promptTokens,
                tails,
                aligned);
    }

    /**
     * A copy with the response tails past each pair's shared length (LD-DPO).
     *
     * @param t the tails
     * @return the inputs
     */
    public PairLogps withTails(Tails t) {
        return new PairLogps(
                policyChosen,
                policyRejected,
                referenceChosen,
                referenceRejected,
                chosenTokens,
                rejectedTokens,
                policyChosenPrompt,
                chosenPromptTokens,
                t,
                aligned);
    }

    /**
     * A copy with WPO's aligned mean log-probs.
     *
     * @param a the aligned log-probs
     * @return the inputs
     */
    public PairLogps withAligned(Aligned a) {
        return new PairLogps(
                policyChosen,
                policyRejected,
                referenceChosen,
                referenceRejected,
                chosenTokens,
                rejectedTokens,
                policyChosenPrompt,
                chosenPromptTokens,
                tails,
                a);
    }
}
