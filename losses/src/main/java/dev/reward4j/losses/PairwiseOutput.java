package dev.reward4j.losses;

import ai.djl.ndarray.NDArray;

/**
 * Result of a pairwise objective (reward-model pairs or pairwise policy objectives).
 *
 * <p>All arrays are attached to the manager of the first input array of the call. Only {@link
 * #loss()} carries gradient; the diagnostics are detached.
 *
 * @param loss the reduced loss (scalar for MEAN/SUM, {@code (B)} weighted losses for NONE)
 * @param perExample unweighted per-example loss {@code (B)}, detached
 * @param chosenReward {@code (B)}, detached: the reward of the chosen response (the raw reward for
 *     reward models, the implicit reward such as \( \beta(\log\pi - \log\pi_{ref}) \) for policy
 *     objectives; each objective documents its own)
 * @param rejectedReward {@code (B)}, detached, as {@code chosenReward} for the rejected response
 * @param margin {@code chosenReward - rejectedReward}, {@code (B)}, detached
 * @param accuracy {@code (B)}, 1 where {@code chosenReward > rejectedReward} else 0, detached
 * @param chosenNll {@code (B)} negative log-likelihood term of the chosen response (before its
 *     coefficient), detached; {@code null} unless the objective adds a chosen-NLL term
 */
public record PairwiseOutput(
        NDArray loss,
        NDArray perExample,
        NDArray chosenReward,
        NDArray rejectedReward,
        NDArray margin,
        NDArray accuracy,
        NDArray chosenNll) {

    /** Builds the output from the per-example loss (with gradient) and the two rewards. */
    static PairwiseOutput of(
            NDArray perExample,
            NDArray chosenReward,
            NDArray rejectedReward,
            NDArray weight,
            Reduction reduction) {
        NDArray c = chosenReward.stopGradient();
        NDArray r = rejectedReward.stopGradient();
        return new PairwiseOutput(
                reduction.reduce(perExample, weight),
                perExample.stopGradient(),
                c,
                r,
                c.sub(r),
                Numerics.greater(c, r),
                null);
    }

    /**
     * Builds the output from already weighted per-example losses (with gradient; {@code w_b l_b},
     * or {@code l_b} without weights) and the unweighted per-example losses: NONE keeps them, SUM
     * adds them, MEAN divides the sum by the weight total (by B without weights; 0 when every
     * weight is 0). Used by objectives composed of other objectives.
     */
    static PairwiseOutput ofWeighted(
            NDArray weightedLoss,
            NDArray perExample,
            NDArray chosenReward,
            NDArray rejectedReward,
            NDArray weight,
            Reduction reduction) {
        NDArray c = chosenReward.stopGradient();
        NDArray r = rejectedReward.stopGradient();
        return new PairwiseOutput(
                reduction.reduceWeighted(weightedLoss, weight),
                perExample.stopGradient(),
                c,
                r,
                c.sub(r),
                Numerics.greater(c, r),
                null);
    }

    /** A copy with the chosen-NLL diagnostic set. */
    PairwiseOutput withChosenNll(NDArray nll) {
        return new PairwiseOutput(
                loss, perExample, chosenReward, rejectedReward, margin, accuracy, nll);
    }
}
