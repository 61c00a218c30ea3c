package dev.reward4j.losses;

import ai.djl.ndarray.NDArray;

/**
 * Inputs of a {@link MixtureObjective}: the rewards of K reward heads for the chosen and rejected
 * response of each pair, plus how the heads are weighted per pair.
 *
 * @param chosen {@code (B, K)} rewards of the chosen responses, one column per head
 *     (differentiable)
 * @param rejected {@code (B, K)} rewards of the rejected responses (differentiable)
 * @param routerLogits {@code (B, K)} router logits \( a \) with mixture weights \( w =
 *     \mathrm{softmax}(a) \) (differentiable), or null for uniform weights; used by {@link
 *     MixtureObjective.MixtureBt}
 * @param responsibilities {@code (B, K)} constant head responsibilities \( \rho \) (rows summing to
 *     1, e.g. an EM assignment of the pair's user to a cluster); required by {@link
 *     MixtureObjective.ResponsibilityBt}
 */
public record HeadPair(
        NDArray chosen, NDArray rejected, NDArray routerLogits, NDArray responsibilities) {

    /**
     * Head rewards without router or responsibilities.
     *
     * @param chosen {@code (B, K)} chosen rewards
     * @param rejected {@code (B, K)} rejected rewards
     * @return the inputs
     */
    public static HeadPair of(NDArray chosen, NDArray rejected) {
        return new HeadPair(chosen, rejected, null, null);
    }

    /**
     * A copy with router logits.
     *
     * @param routerLogits {@code (B, K)} router logits
     * @return the inputs
     */
    public HeadPair withRouterLogits(NDArray routerLogits) {
        return new HeadPair(chosen, rejected, routerLogits, responsibilities);
    }

    /**
     * A copy with responsibilities.
     *
     * @param responsibilities {@code (B, K)} constant responsibilities
     * @return the inputs
     */
    public HeadPair withResponsibilities(NDArray responsibilities) {
        return new HeadPair(chosen, rejected, routerLogits, responsibilities);
    }
}
