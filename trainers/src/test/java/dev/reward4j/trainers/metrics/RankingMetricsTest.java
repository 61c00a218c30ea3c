package dev.reward4j.trainers.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class RankingMetricsTest {

    static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }

    @Nested
    class Ndcg {
        @Test
        void matchesAHandComputedValue() {
            // predicted order: items 0, 1, 2 with grades 0, 1, 2 -> gains 0, 1, 3
            // DCG = 0/1 + 1/log2(3) + 3/log2(4) = 2.130930; IDCG = 3/1 + 1/log2(3) + 0 = 3.630930;
            // NDCG = 0.586883
            double expected = (1 / log2(3) + 3 / 2.0) / (3 + 1 / log2(3));
            assertEquals(
                    expected,
                    RankingMetrics.ndcgAtK(new double[] {3, 2, 1}, new double[] {0, 1, 2}, 3),
                    1e-12);
            assertEquals(0.586883, expected, 1e-6);
        }

        @Test
        void isOneForThePerfectOrderAndCutsAtK() {
            assertEquals(
                    1.0,
                    RankingMetrics.ndcgAtK(new double[] {0.1, 5, 2}, new double[] {0, 2, 1}, 10),
                    1e-15);
            // @1: the top item has grade 1 while the best has grade 2: (2^1-1)/(2^2-1) = 1/3
            assertEquals(
                    1.0 / 3,
                    RankingMetrics.ndcgAtK(new double[] {9, 5, 2}, new double[] {1, 2, 0}, 1),
                    1e-15);
        }

        @Test
        void averagesOverEveryOrderOfTiedScores() {
            // all four items tied: NDCG@2 is the mean over all 24 orders of the items
            double[] grades = {0, 1, 2, 3};
            double[] predicted = {1, 1, 1, 1};
            double mean =
                    permutations(4).stream()
                            .mapToDouble(
                                    perm -> {
                                        double[] p = new double[4];
                                        for (int pos = 0; pos < 4; pos++) {
                                            p[perm[pos]] = 4 - pos; // strictly decreasing scores
                                            // along the permutation
                                        }
                                        return RankingMetrics.ndcgAtK(p, grades, 2);
                                    })
                            .average()
                            .orElseThrow();
            assertEquals(mean, RankingMetrics.ndcgAtK(predicted, grades, 2), 1e-12);
        }

        @Test
        void averagesOnlyWithinATieGroup() {
            // scores {5, 3, 3}: item 0 first, items 1 and 2 share positions 2 and 3
            double[] grades = {1, 2, 0};
            double a = RankingMetrics.ndcgAtK(new double[] {5, 3.1, 3}, grades, 3);
            double b = RankingMetrics.ndcgAtK(new double[] {5, 3, 3.1}, grades, 3);
            assertEquals(
                    (a + b) / 2, RankingMetrics.ndcgAtK(new double[] {5, 3, 3}, grades, 3), 1e-12);
        }

        @Test
        void isNaNWhenEveryGradeIsZero() {
            assertTrue(
                    Double.isNaN(
                            RankingMetrics.ndcgAtK(new double[] {1, 2}, new double[] {0, 0}, 2)));
        }

        @Test
        void rejectsNegativeGrades() {
            assertThrows(
                    IllegalArgumentException.class,
                    () -> RankingMetrics.ndcgAtK(new double[] {1, 2}, new double[] {-1, 0}, 2));
        }
    }

    @Nested
    class KendallTau {
        @Test
        void isOneForTheSameOrderAndMinusOneForTheReverse() {
            assertEquals(
                    1.0,
                    RankingMetrics.kendallTauB(
                            new double[] {1, 2, 3, 4}, new double[] {10, 20, 30, 40}));
            assertEquals(
                    -1.0,
                    RankingMetrics.kendallTauB(
                            new double[] {1, 2, 3, 4}, new double[] {4, 3, 2, 1}));
        }

        @Test
        void correctsForTiesAsTauB() {
            // x = {1,2,2,3}, y = {1,2,3,3}: C = 4, D = 0, n0 = 6, one tie in x, one in y: 4 /
            // sqrt(5 * 5) = 0.8
            // (scipy.stats.kendalltau gives 0.8)
            assertEquals(
                    0.8,
                    RankingMetrics.kendallTauB(
                            new double[] {1, 2, 2, 3}, new double[] {1, 2, 3, 3}),
                    1e-15);
        }

        @Test
        void isNaNForAConstantArray() {
            assertTrue(
                    Double.isNaN(
                            RankingMetrics.kendallTauB(
                                    new double[] {1, 1, 1}, new double[] {1, 2, 3})));
        }
    }

    @Nested
    class Bags {
        @Test
        void averagesOverListsAndSkipsMaskedItems() {
            // list 0: perfect order -> ndcg 1, tau 1; list 1: reversed over its 3 present items ->
            // tau -1,
            // its masked 4th item (score 100) must be ignored
            double[] predicted = {4, 3, 2, 1, 1, 2, 3, 100};
            double[] labels = {40, 30, 20, 10, 30, 20, 10, 99};
            double[] mask = {1, 1, 1, 1, 1, 1, 1, 0};
            Map<String, Double> m =
                    RankingMetrics.addTo(new MetricBag(), predicted, labels, mask, 4, 4).means();
            // list 1 grades {2, 1, 0}, predicted order items 2, 1, 0 -> gains 0, 1, 3
            double list1 = (1 / log2(3) + 3 / 2.0) / (3 + 1 / log2(3));
            assertEquals((1 + list1) / 2, m.get(MetricNames.ndcgAt(4)), 1e-12);
            assertEquals(0.0, m.get(MetricNames.KENDALL_TAU), 1e-15);
        }

        @Test
        void gradesByDenseRank() {
            assertArrayEquals(
                    new double[] {1, 0, 2, 1},
                    RankingMetrics.gradeByRank(new double[] {0.5, -3, 7, 0.5}));
        }
    }

    static List<int[]> permutations(int n) {
        List<int[]> out = new ArrayList<>();
        permute(new int[n], new boolean[n], 0, out);
        return out;
    }

    private static void permute(int[] cur, boolean[] used, int at, List<int[]> out) {
        if (at == cur.length) {
            out.add(cur.clone());
            return;
        }
        for (int i = 0; i < cur.length; i++) {
            if (!used[i]) {
                used[i] = true;
                cur[at] = i;
                permute(cur, used, at + 1, out);
                used[i] = false;
            }
        }
    }
}
