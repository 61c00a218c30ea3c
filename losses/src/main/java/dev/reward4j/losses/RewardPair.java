package dev.reward4j.losses;

import ai.djl.ndarray.NDArray;

/**
 * Inputs of a reward-model pairwise objective: scalar rewards of the chosen and rejected response
 * of each pair plus the per-pair auxiliaries some objectives need.
 *
 * <p>All arrays are {@code (B)} floating arrays. Auxiliaries are constants (not differentiated).
 *
 * @param chosen rewards of the chosen responses {@code (B)} (differentiable)
 * @param rejected rewards of the rejected responses {@code (B)} (differentiable)
 * @param margin optional {@code (B)}: the BT margin \( m \) (Llama 2) for {@link
 *     RewardModelObjective.BradleyTerry} / {@link RewardModelObjective.BtDirectReward}, the
 *     preference strength for {@link RewardModelObjective.ScaledBt} (required there); or null
 * @param probability optional {@code (B)} target probability \( p \in [0,1] \) that chosen is
 *     preferred, required by {@link RewardModelObjective.SoftLabelBt}; or null
 * @param tie optional {@code (B)} 0/1 tie indicator, required by {@link
 *     RewardModelObjective.RaoKupper}; or null
 */
public record RewardPair(
        NDArray chosen, NDArray rejected, NDArray margin, NDArray probability, NDArray tie) {

    /**
     * A pair without auxiliaries.
     *
     * @param chosen rewards of the chosen responses {@code (B)}
     * @param rejected rewards of the rejected responses {@code (B)}
     * @return the inputs
     */
    public static RewardPair of(NDArray chosen, NDArray rejected) {
        return new RewardPair(chosen, rejected, null, null, null);
    }

    /**
     * A copy with the margin (or preference strength) set.
     *
     * @param margin margin or preference strength {@code (B)}
     * @return the inputs
     */
    public RewardPair withMargin(NDArray margin) {
        return new RewardPair(chosen, rejected, margin, probability, tie);
    }

    /**
     * A copy with the target probability set.
     *
     * @param probability target probabilities {@code (B)}
     * @return the inputs
     */
    public RewardPair withProbability(NDArray probability) {
        return new RewardPair(chosen, rejected, margin, probability, tie);
    }

    /**
     * A copy with the tie indicator set.
     *
     * @param tie tie indicators {@code (B)}
     * @return the inputs
     */
    public RewardPair withTie(NDArray tie) {
        return new RewardPair(chosen, rejected, margin, probability, tie);
    }
}
