package dev.reward4j.trainers.eval;

/**
 * How a policy (DPO-family) model turns completion log-probs into a reward for scoring (RewardBench
 * {@code rewardbench/dpo.py}). Sums and means run over the completion (response) tokens only; each
 * variant computes its own reward ({@link #of(double, double, int)}).
 */
public sealed interface ImplicitReward {
    /**
     * {@code sum log pi(y|x) - sum log pi_ref(y|x)}: the DPO implicit reward without beta
     * (comparisons ignore scale).
     */
    record LogRatio() implements ImplicitReward {
        @Override
        public boolean needsReference() {
            return true;
        }

        @Override
        public double of(double policySum, double referenceSum, int responseTokens) {
            return policySum - referenceSum;
        }
    }

    /** Reference-free {@code sum log pi(y|x)}. */
    record PolicySum() implements ImplicitReward {
        @Override
        public boolean needsReference() {
            return false;
        }

        @Override
        public double of(double policySum, double referenceSum, int responseTokens) {
            return policySum;
        }
    }

    /**
     * Reference-free {@code mean log pi(y|x)} over the completion tokens (0 for an empty
     * completion).
     */
    record PolicyMean() implements ImplicitReward {
        @Override
        public boolean needsReference() {
            return false;
        }

        @Override
        public double of(double policySum, double referenceSum, int responseTokens) {
            return responseTokens == 0 ? 0 : policySum / responseTokens;
        }
    }

    /** Whether a reference model is needed. */
    boolean needsReference();

    /**
     * The reward of one completion.
     *
     * @param policySum summed response-token log-probs under the policy
     * @param referenceSum the same under the reference (0 when none is needed)
     * @param responseTokens number of response tokens
     */
    double of(double policySum, double referenceSum, int responseTokens);
}
