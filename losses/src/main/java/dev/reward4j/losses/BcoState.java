package dev.reward4j.losses;

/**
 * The explicit state of BCO's reward shift \( \delta \): the running mean of <b>every</b> implicit
 * reward seen so far, each batch counted by its size (TRL's {@code BCOTrainer} feeds its {@code
 * RunningMoments} with the chosen and rejected rewards of the batch concatenated, so a batch of n
 * rewards moves the mean by {@code n / (count + n)} of the difference). With example weights a
 * batch counts by the sum of its weights and contributes its weighted mean. Immutable; a step
 * returns the next state in {@link BcoOutput#state()}, which the trainer stores (and checkpoints).
 *
 * @param mean the running mean \( \delta \) (0 initially)
 * @param count the number (or total weight) of rewards folded in so far
 */
public record BcoState(double mean, double count) {
    /**
     * Validates the components.
     *
     * @param mean see the record description
     * @param count see the record description
     */
    public BcoState {
        LossChecks.finite("bco-state", "mean", mean);
        LossChecks.finite("bco-state", "count", count);
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
     * Folds a single reward (count 1) into the running mean: {@code mean + (x - mean) / (count +
     * 1)}.
     *
     * @param reward one reward (or a batch mean counted once)
     * @return the next state
     */
    public BcoState update(double reward) {
        return update(reward, 1);
    }

    /**
     * Folds a batch of rewards with mean {@code batchMean} and size (or total weight) {@code
     * batchCount} into the running mean: {@code mean + (batchMean - mean) * batchCount / (count +
     * batchCount)} (TRL's {@code RunningMoments.update}). The result is the mean of every reward
     * folded in so far.
     *
     * @param batchMean the (weighted) mean of the batch's rewards
     * @param batchCount the number of rewards in the batch, or the sum of their weights; {@code >
     *     0}
     * @return the next state
     */
    public BcoState update(double batchMean, double batchCount) {
        LossChecks.finite("bco-state", "batchMean", batchMean);
        LossChecks.positive("bco-state", "batchCount", batchCount);
        double n = count + batchCount;
        return new BcoState(mean + (batchMean - mean) * (batchCount / n), n);
    }
}
