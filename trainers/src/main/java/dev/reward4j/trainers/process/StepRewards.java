package dev.reward4j.trainers.process;

import java.util.ArrayList;
import java.util.List;

/**
 * Per-step rewards of scored solutions: for solution b, its steps' probabilities of still being
 * correct, \( \sigma(z_{b,s}) \).
 *
 * @param ids the solutions' ids
 * @param steps per solution, its step rewards in order (real steps only)
 */
public record StepRewards(List<String> ids, List<double[]> steps) {
    /** Copies the lists (the arrays are shared). */
    public StepRewards {
        ids = List.copyOf(ids);
        steps = List.copyOf(steps);
    }

    /**
     * One score per solution.
     *
     * @param aggregation how steps combine
     * @return the scores, in solution order
     */
    public double[] aggregate(StepAggregation aggregation) {
        double[] out = new double[steps.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = aggregation.apply(steps.get(i));
        }
        return out;
    }

    /**
     * The first step whose reward is below {@code threshold}, per solution.
     *
     * @param threshold e.g. 0.5
     * @return step index per solution, -1 when every step is at or above the threshold
     */
    public int[] firstBelow(double threshold) {
        int[] out = new int[steps.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = -1;
            double[] s = steps.get(i);
            for (int j = 0; j < s.length; j++) {
                if (s[j] < threshold) {
                    out[i] = j;
                    break;
                }
            }
        }
        return out;
    }

    /**
     * Concatenates several results in order.
     *
     * @param parts results of consecutive batches
     * @return one result
     */
    public static StepRewards concat(List<StepRewards> parts) {
        List<String> ids = new ArrayList<>();
        List<double[]> steps = new ArrayList<>();
        for (StepRewards p : parts) {
            ids.addAll(p.ids());
            steps.addAll(p.steps());
        }
        return new StepRewards(ids, steps);
    }
}
