package dev.reward4j.trainers.eval;

import ai.djl.ndarray.NDArray;
import dev.reward4j.core.data.PairBatch;

/**
 * The rewards of a collated pair batch, as training computes them: a reward model's score ({@code
 * RewardPairsObjective.rewards}) or a policy's implicit reward (summed response log-probs minus the
 * reference's).
 */
@FunctionalInterface
public interface PairRewards {
    /**
     * Rewards {@code (2B)} of the batch rows: chosen rows {@code [0, B)}, then rejected rows {@code
     * [B, 2B)}.
     *
     * @param batch the collated pairs
     * @return rewards attached to the batch's manager (or any manager closed with the caller's
     *     scope)
     */
    NDArray rewards(PairBatch batch);
}
