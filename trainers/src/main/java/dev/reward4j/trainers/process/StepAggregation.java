package dev.reward4j.trainers.process;

/**
 * How per-step rewards \( p_1..p_S \in [0, 1] \) of a solution become one solution score (e.g. to
 * rank best-of-n candidates).
 */
public enum StepAggregation {
    /** \( \min_s p_s \): the weakest step (Math-Shepherd's choice for verification). */
    MIN,
    /** \( p_S \): the last step, the probability that the whole solution is correct. */
    LAST,
    /** \( \prod_s p_s \): every step correct, treating steps as independent. */
    PRODUCT;

    /**
     * Aggregates one solution's step rewards.
     *
     * @param steps the step rewards, at least one
     * @return the solution score
     */
    public double apply(double[] steps) {
        if (steps.length == 0) {
            throw new IllegalArgumentException(
                    "step aggregation: no steps (0); expected at least one step reward");
        }
        switch (this) {
            case MIN:
                double min = 1;
                for (double p : steps) {
                    min = Math.min(min, p);
                }
                return min;
            case LAST:
                return steps[steps.length - 1];
            case PRODUCT:
                double prod = 1;
                for (double p : steps) {
                    prod *= p;
                }
                return prod;
            default:
                throw new AssertionError(this);
        }
    }
}
