package dev.reward4j.losses;

/**
 * The explicit state of BCO's reward shift \( \delta \): a running mean of per-step batch-mean
 * rewards (TRL's {@code RunningMoments} fed with one batch mean per step). Immutable; a step
 * returns the next state in {@link BcoOutput#state()}, which the trainer stores (and checkpoints).
 *
 * @param mean the running mean \( \delta \) (0 initially)
 * @param count the number of batch means folded in so far
 */
public record BcoState(double mean, long count) {
    /**
     * Validates the components.
     *
     * @param mean see the record description
     * @param count see the record description
     */
    public BcoState {
        LossChecks.finite("bco-state", "mean", mean);
        if (count < 0) {
            throw LossChecks.bad("bco-state", "count must be >= 0", count, "expected count >= 0");
        }
    }

    /**
     * The initial state: mean 0, count 0.
     *
     * @return the state
     */
    public static BcoState initial() {
        return new BcoState(0, 0);
    }

    /**
     * Folds one batch-mean reward into the running mean: {@code mean + (x - mean) / (count + 1)}.
     *
     * @param batchMean the batch mean of the implicit rewards
     * @return the next state
     */
    public BcoState update(double batchMean) {
        LossChecks.finite("bco-state", "batchMean", batchMean);
        long n = count + 1;
        return new BcoState(mean + (batchMean - mean) / n, n);
    }
}
