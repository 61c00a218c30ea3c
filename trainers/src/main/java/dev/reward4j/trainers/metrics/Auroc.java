package dev.reward4j.trainers.metrics;

import java.util.Arrays;

/**
 * Area under the ROC curve of a score that should be higher on positives than on negatives: the
 * probability that a random positive scores above a random negative, ties counting one half
 * (Mann-Whitney U / (n_pos n_neg)), computed from average ranks in O(n log n).
 */
public final class Auroc {
    private Auroc() {}

    /**
     * The AUROC.
     *
     * @param scores one score per example (finite)
     * @param positive which examples are positives
     * @return AUROC in [0, 1]; NaN when either class is empty
     */
    public static double of(double[] scores, boolean[] positive) {
        if (scores.length != positive.length) {
            throw new IllegalArgumentException(
                    "auroc: "
                            + scores.length
                            + " scores for "
                            + positive.length
                            + " labels; expected the same length");
        }
        int n = scores.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            if (!Double.isFinite(scores[i])) {
                throw new IllegalArgumentException(
                        "auroc: score " + i + " (" + scores[i] + "); expected finite scores");
            }
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(scores[a], scores[b]));
        double[] rank = new double[n];
        for (int i = 0; i < n; ) {
            int j = i;
            while (j + 1 < n && scores[order[j + 1]] == scores[order[i]]) {
                j++;
            }
            double avg = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) {
                rank[order[k]] = avg;
            }
            i = j + 1;
        }
        long pos = 0;
        double rankSum = 0;
        for (int i = 0; i < n; i++) {
            if (positive[i]) {
                pos++;
                rankSum += rank[i];
            }
        }
        long neg = n - pos;
        if (pos == 0 || neg == 0) {
            return Double.NaN;
        }
        return (rankSum - pos * (pos + 1) / 2.0) / ((double) pos * neg);
    }
}
