package dev.reward4j.trainers.eval;

/**
 * How a policy (DPO-family) model turns completion log-probs into a reward for RewardBench-style
 * scoring (RewardBench {@code rewardbench/dpo.py}). Sums and means run over the completion
 * (response) tokens only.
 */
public sealed interface ImplicitReward {
    /**
     * {@code sum log pi(y|x) - sum log pi_ref(y|x)}: the DPO implicit reward without beta
     * (comparisons ignore scale).
     */
    record LogRatio() implements ImplicitReward {}

    /** Reference-free {@code sum log pi(y|x)}. */
    record PolicySum() implements ImplicitReward {}

    /**
     * Reference-free {@code mean log pi(y|x)} over the completion tokens (0 for an empty
     * completion).
     */
    record PolicyMean() implements ImplicitReward {}

    /** Whether a reference model is needed. */
    default boolean needsReference() {
        return this instanceof LogRatio;
    }
}
