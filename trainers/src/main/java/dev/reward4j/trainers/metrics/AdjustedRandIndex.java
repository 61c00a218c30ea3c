package dev.reward4j.trainers.metrics;

import java.util.HashMap;
import java.util.Map;

/**
 * Adjusted Rand index between two clusterings of the same items (Hubert and Arabie, "Comparing
 * partitions", Journal of Classification 1985): 1 for identical partitions (up to relabelling),
 * about 0 for independent ones.
 */
public final class AdjustedRandIndex {
    private AdjustedRandIndex() {}

    /**
     * The ARI of two labelings.
     *
     * @param a cluster label of each item
     * @param b another cluster label of each item
     * @return the index; 1 when both partitions are trivial and equal
     */
    public static double of(int[] a, int[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException(
                    "ari: "
                            + a.length
                            + " and "
                            + b.length
                            + " labels; expected two labelings of the same items");
        }
        Map<Long, Integer> cells = new HashMap<>();
        Map<Integer, Integer> rowsA = new HashMap<>();
        Map<Integer, Integer> rowsB = new HashMap<>();
        for (int i = 0; i < a.length; i++) {
            cells.merge(((long) a[i] << 32) ^ (b[i] & 0xffffffffL), 1, Integer::sum);
            rowsA.merge(a[i], 1, Integer::sum);
            rowsB.merge(b[i], 1, Integer::sum);
        }
        double index = 0;
        for (int c : cells.values()) {
            index += pairs(c);
        }
        double sumA = 0;
        for (int c : rowsA.values()) {
            sumA += pairs(c);
        }
        double sumB = 0;
        for (int c : rowsB.values()) {
            sumB += pairs(c);
        }
        double expected = sumA * sumB / pairs(a.length);
        double max = (sumA + sumB) / 2;
        if (max == expected) {
            return index == expected ? 1.0 : 0.0;
        }
        return (index - expected) / (max - expected);
    }

    private static double pairs(long n) {
        return n * (n - 1) / 2.0;
    }
}
