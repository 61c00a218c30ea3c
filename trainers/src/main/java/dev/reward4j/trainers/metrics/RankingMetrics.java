package dev.reward4j.trainers.metrics;

import dev.reward4j.core.util.Checks;
import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * Listwise ranking metrics on host arrays: NDCG@k and Kendall tau-b of model scores against
 * reference labels.
 *
 * <p><b>NDCG@k</b> (Järvelin and Kekäläinen 2002) with exponential gains {@code g = 2^rel - 1} and
 * discount {@code 1 / log2(position + 1)} (1-based positions), normalised by the DCG of the ideal
 * order; {@code k} larger than the list is cut to the list length. <b>Ties in the model scores</b>
 * are handled by averaging over all orders of the tied items (McSherry and Najork 2008, "Computing
 * Information Retrieval Performance Measures Efficiently in the Presence of Tied Scores"): a tie
 * group at positions {@code [a, b)} contributes {@code mean(gains of the group) * sum(discounts of
 * positions a..b-1 that are < k)}. So a model that scores everything equal gets the expected NDCG
 * of a random order, never the flattering ideal one. Relevance must be finite and {@code >= 0}; use
 * {@link #gradeByRank} to turn arbitrary reference scores into grades. A list whose ideal DCG is 0
 * (all grades 0) has no defined NDCG: NaN.
 *
 * <p><b>Kendall tau-b</b> {@code (C - D) / sqrt((n0 - n1)(n0 - n2))} with {@code n0 = n(n-1)/2},
 * C/D the concordant and discordant pairs, and n1/n2 the pairs tied in the first/second array. NaN
 * when either array is constant or the list has fewer than 2 items. Exact O(n^2), intended for
 * short lists (K &lt;= a few hundred).
 */
public final class RankingMetrics {
    private RankingMetrics() {}

    /**
     * NDCG@k of {@code predicted} scores against graded {@code relevance} (see the class comment
     * for ties).
     */
    public static double ndcgAtK(double[] predicted, double[] relevance, int k) {
        Checks.positive(k, "ndcg: k");
        MetricChecks.finitePair(predicted, relevance, "ndcg", "predicted", "relevance");
        for (int i = 0; i < relevance.length; i++) {
            double r = relevance[i];
            int at = i;
            Checks.argument(
                    r >= 0,
                    () ->
                            "ndcg: relevance at index "
                                    + at
                                    + " is negative ("
                                    + r
                                    + "); expected grades >= 0. Use RankingMetrics.gradeByRank for"
                                    + " arbitrary scores");
        }
        int n = predicted.length;
        int cut = Math.min(k, n);
        double[] gains = new double[n];
        for (int i = 0; i < n; i++) {
            gains[i] = Math.pow(2, relevance[i]) - 1;
        }
        double[] ideal = gains.clone();
        Arrays.sort(ideal);
        double idcg = 0;
        for (int p = 0; p < cut; p++) {
            idcg += ideal[n - 1 - p] * discount(p);
        }
        if (idcg == 0) {
            return Double.NaN;
        }
        Integer[] order = IntStream.range(0, n).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> predicted[i]).reversed());
        double dcg = 0;
        int a = 0;
        while (a < cut) {
            int b = a + 1;
            while (b < n && predicted[order[b]] == predicted[order[a]]) {
                b++;
            }
            double gainSum = 0;
            for (int p = a; p < b; p++) {
                gainSum += gains[order[p]];
            }
            double discSum = 0;
            for (int p = a; p < Math.min(b, cut); p++) {
                discSum += discount(p);
            }
            dcg += gainSum / (b - a) * discSum;
            a = b;
        }
        return dcg / idcg;
    }

    private static double discount(int zeroBasedPosition) {
        return 1.0 / (Math.log(zeroBasedPosition + 2) / Math.log(2));
    }

    /**
     * Kendall tau-b between {@code x} and {@code y} (see the class comment); NaN when undefined.
     */
    public static double kendallTauB(double[] x, double[] y) {
        MetricChecks.finitePair(x, y, "kendall tau", "x", "y");
        int n = x.length;
        long concordant = 0;
        long discordant = 0;
        long tiesX = 0;
        long tiesY = 0;
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                int sx = Double.compare(x[i], x[j]);
                int sy = Double.compare(y[i], y[j]);
                if (sx == 0) {
                    tiesX++;
                }
                if (sy == 0) {
                    tiesY++;
                }
                long s = (long) Integer.signum(sx) * Integer.signum(sy);
                if (s > 0) {
                    concordant++;
                } else if (s < 0) {
                    discordant++;
                }
            }
        }
        long n0 = (long) n * (n - 1) / 2;
        double denominator = Math.sqrt((double) (n0 - tiesX) * (n0 - tiesY));
        return denominator == 0 ? Double.NaN : (concordant - discordant) / denominator;
    }

    /**
     * Dense-rank grades of arbitrary reference scores: the lowest distinct score gets grade 0, the
     * next 1, and so on (equal scores share a grade). Suitable as NDCG relevance for ranked lists
     * whose scores are not grades.
     */
    public static double[] gradeByRank(double[] scores) {
        MetricChecks.finite(scores, "gradeByRank: scores");
        double[] distinct = Arrays.stream(scores).distinct().sorted().toArray();
        double[] grades = new double[scores.length];
        for (int i = 0; i < scores.length; i++) {
            grades[i] = Arrays.binarySearch(distinct, scores[i]);
        }
        return grades;
    }

    /**
     * {@link #addTo(MetricBag, double[], double[], double[], int, int)} on {@code (B, K)} arrays
     * copied to the host ({@code itemMask} may be null).
     */
    public static MetricBag addTo(
            MetricBag bag,
            ai.djl.ndarray.NDArray predicted,
            ai.djl.ndarray.NDArray labels,
            ai.djl.ndarray.NDArray itemMask,
            int k) {
        int listSize = (int) predicted.getShape().get(predicted.getShape().dimension() - 1);
        return addTo(
                bag,
                HostArrays.of(predicted),
                HostArrays.of(labels),
                HostArrays.of(itemMask),
                listSize,
                k);
    }

    /**
     * Adds NDCG@k ({@link MetricNames#ndcgAt}) and Kendall tau-b ({@link MetricNames#KENDALL_TAU})
     * sums of a batch of {@code B} lists to {@code bag}. Arrays are row-major {@code (B, K)} as in
     * {@code ListBatch}: item {@code k} of list {@code b} is at {@code b * K + k}. Items whose
     * {@code itemMask} is 0 are left out ({@code itemMask} may be null: all present). Reference
     * {@code labels} are graded with {@link #gradeByRank} per list before NDCG. Lists whose metric
     * is undefined (NaN) are not counted for that metric.
     *
     * @return {@code bag}
     */
    public static MetricBag addTo(
            MetricBag bag,
            double[] predicted,
            double[] labels,
            double[] itemMask,
            int listSize,
            int k) {
        Checks.positive(listSize, "ranking metrics: listSize");
        MetricChecks.sameLength(predicted, labels, "ranking metrics: predicted/labels");
        Checks.argument(
                predicted.length % listSize == 0,
                () ->
                        "ranking metrics: length "
                                + predicted.length
                                + " is not a multiple of listSize "
                                + listSize
                                + "; expected (B, K) row-major arrays");
        if (itemMask != null) {
            MetricChecks.sameLength(predicted, itemMask, "ranking metrics: predicted/itemMask");
        }
        String ndcgKey = MetricNames.ndcgAt(k);
        for (int b = 0; b < predicted.length / listSize; b++) {
            int base = b * listSize;
            int present = 0;
            for (int j = 0; j < listSize; j++) {
                if (itemMask == null || itemMask[base + j] != 0) {
                    present++;
                }
            }
            double[] p = new double[present];
            double[] l = new double[present];
            int at = 0;
            for (int j = 0; j < listSize; j++) {
                if (itemMask == null || itemMask[base + j] != 0) {
                    p[at] = predicted[base + j];
                    l[at++] = labels[base + j];
                }
            }
            if (present == 0) {
                continue;
            }
            double ndcg = ndcgAtK(p, gradeByRank(l), k);
            if (!Double.isNaN(ndcg)) {
                bag.add(ndcgKey, ndcg, 1);
            }
            double tau = kendallTauB(p, l);
            if (!Double.isNaN(tau)) {
                bag.add(MetricNames.KENDALL_TAU, tau, 1);
            }
        }
        return bag;
    }
}
