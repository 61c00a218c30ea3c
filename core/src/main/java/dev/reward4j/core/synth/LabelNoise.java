package dev.reward4j.core.synth;

import dev.reward4j.core.util.Checks;

/**
 * How labels are drawn from the ground truth: a Bradley-Terry model with a temperature, mixed with
 * symmetric flip noise.
 *
 * <p>{@code P(a preferred over b) = (1 - 2 flip) * sigmoid((r_a - r_b) / temperature) + flip}. A
 * Bayes-optimal reward model (any strictly increasing function of the ground truth) is right on
 * such a pair with probability {@code max(p, 1 - p)}; see {@link Ceiling}.
 *
 * @param temperature Bradley-Terry temperature in reward units ({@code > 0}; small = nearly
 *     deterministic labels)
 * @param flipRate probability that the Bradley-Terry label is flipped, in {@code [0, 0.5]}
 *     (equivalently: the label is replaced by a fair coin with probability {@code 2 * flipRate})
 */
public record LabelNoise(double temperature, double flipRate) {
    /** Validates ranges. */
    public LabelNoise {
        Checks.positive(temperature, "LabelNoise.temperature");
        Checks.inClosedRange(flipRate, 0, 0.5, "LabelNoise.flipRate");
    }

    /**
     * The probability that a response with reward {@code a} is preferred over one with reward
     * {@code b}.
     */
    public double preferProbability(double a, double b) {
        return (1 - 2 * flipRate) * sigmoid((a - b) / temperature) + flipRate;
    }

    /**
     * The probability that a completion with reward {@code r} is labelled desirable against {@code
     * threshold}.
     */
    public double desirableProbability(double r, double threshold) {
        return preferProbability(r, threshold);
    }

    /**
     * The probability that item {@code index} is ranked first when a list is ranked by
     * Plackett-Luce with utilities {@code rewards / temperature}, replaced by a uniformly random
     * order with probability {@code 2 * flipRate}.
     */
    public double firstProbability(double[] rewards, int index) {
        double max = Double.NEGATIVE_INFINITY;
        for (double r : rewards) {
            max = Math.max(max, r);
        }
        double z = 0;
        for (double r : rewards) {
            z += Math.exp((r - max) / temperature);
        }
        double softmax = Math.exp((rewards[index] - max) / temperature) / z;
        return (1 - 2 * flipRate) * softmax + 2 * flipRate / rewards.length;
    }

    /** Numerically stable logistic function. */
    static double sigmoid(double x) {
        return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
    }
}
