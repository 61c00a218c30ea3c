package dev.reward4j.losses;

import ai.djl.ndarray.NDArray;

/**
 * Sequence log-probs of preference triples \( (x, y_{gold}, y_w, y_l) \) for {@link
 * TriplePreferenceObjective}: the summed policy log-probs of the gold (reference-quality), the
 * preferred and the rejected response of the same prompt, and their response token counts. Every
 * array is {@code (B)}; counts may be integer.
 *
 * @param gold \( \log\pi_\theta(y_{gold}|x) \) (differentiable)
 * @param chosen \( \log\pi_\theta(y_w|x) \) (differentiable)
 * @param rejected \( \log\pi_\theta(y_l|x) \) (differentiable)
 * @param goldTokens response tokens of \( y_{gold} \)
 * @param chosenTokens response tokens of \( y_w \)
 * @param rejectedTokens response tokens of \( y_l \)
 */
public record TripleLogps(
        NDArray gold,
        NDArray chosen,
        NDArray rejected,
        NDArray goldTokens,
        NDArray chosenTokens,
        NDArray rejectedTokens) {}
