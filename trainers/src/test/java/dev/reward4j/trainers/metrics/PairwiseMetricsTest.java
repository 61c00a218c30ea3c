package dev.reward4j.trainers.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class PairwiseMetricsTest {

    @Nested
    class Accuracy {
        @Test
        void countsTiesAsWrong() {
            // pairs: 2>1 correct, 1<3 wrong, 0.5=0.5 tie -> wrong, 4>-1 correct: 2/4
            double[] c = {2, 1, 0.5, 4};
            double[] r = {1, 3, 0.5, -1};
            assertEquals(0.5, PairwiseMetrics.accuracy(c, r));
            assertEquals(2, PairwiseMetrics.correctCount(c, r));
        }

        @Test
        void isZeroWhenEveryScoreIsEqual() {
            assertEquals(
                    0.0, PairwiseMetrics.accuracy(new double[] {1, 1, 1}, new double[] {1, 1, 1}));
        }

        @Test
        void isNaNForNoPairs() {
            assertTrue(Double.isNaN(PairwiseMetrics.accuracy(new double[0], new double[0])));
        }

        @Test
        void policyRankingAccuracyComparesPolicyLogProbsStrictly() {
            // log pi(chosen) vs log pi(rejected): -10 > -12 yes, -5 < -4 no, -3 = -3 no -> 1/3
            assertEquals(
                    1.0 / 3,
                    PairwiseMetrics.policyRankingAccuracy(
                            new double[] {-10, -5, -3}, new double[] {-12, -4, -3}),
                    1e-15);
        }
    }

    @Nested
    class Stats {
        @Test
        void marginStatsAreTheMomentsOfChosenMinusRejected() {
            // margins {1, -2, 0, 5}: mean 1, population var (0+9+1+16)/4 = 6.5
            Moments m =
                    PairwiseMetrics.marginStats(
                            new double[] {2, 1, 0.5, 4}, new double[] {1, 3, 0.5, -1});
            assertEquals(1.0, m.mean(), 1e-15);
            assertEquals(Math.sqrt(6.5), m.std(), 1e-15);
            assertEquals(-2.0, m.min());
            assertEquals(5.0, m.max());
            assertArrayEquals(
                    new double[] {1, -2, 0, 5},
                    PairwiseMetrics.margins(
                            new double[] {2, 1, 0.5, 4}, new double[] {1, 3, 0.5, -1}));
        }

        @Test
        void preferenceNllIsTheMeanBradleyTerryLogLossAndStableForLargeMargins() {
            // margins {0, ln 3}: (ln 2 + ln(1 + 1/3)) / 2
            assertEquals(
                    (Math.log(2) + Math.log(4.0 / 3)) / 2,
                    PairwiseMetrics.preferenceNll(
                            new double[] {1, Math.log(3)}, new double[] {1, 0}),
                    1e-15);
            // margin -1000: log(1 + e^1000) = 1000 (no overflow); margin +1000: ~0
            assertEquals(
                    500.0,
                    PairwiseMetrics.preferenceNll(new double[] {0, 1000}, new double[] {1000, 0}),
                    1e-12);
        }

        @Test
        void rewardStatsPoolChosenAndRejected() {
            // {1, 3} + {-1, -3}: mean 0, var (1+9+1+9)/4 = 5
            Moments m = PairwiseMetrics.rewardStats(new double[] {1, 3}, new double[] {-1, -3});
            assertEquals(4, m.count());
            assertEquals(0.0, m.mean(), 1e-15);
            assertEquals(Math.sqrt(5), m.std(), 1e-15);
        }
    }

    @Nested
    class Bags {
        @Test
        void bagsOfMicroBatchesMergeToTheMetricsOfTheWholeBatch() {
            Random rnd = new Random(3);
            double[] c = rnd.doubles(37).map(x -> 3 * x - 1).toArray();
            double[] r = rnd.doubles(37).map(x -> 3 * x - 1.5).toArray();
            Map<String, Double> whole = PairwiseMetrics.addTo(new MetricBag(), c, r).means();
            for (int parts : new int[] {2, 4, 37}) {
                MetricBag merged = new MetricBag();
                int size = (c.length + parts - 1) / parts;
                for (int from = 0; from < c.length; from += size) {
                    int to = Math.min(c.length, from + size);
                    merged.merge(
                            PairwiseMetrics.addTo(
                                    new MetricBag(),
                                    Arrays.copyOfRange(c, from, to),
                                    Arrays.copyOfRange(r, from, to)));
                }
                Map<String, Double> split = merged.means();
                assertEquals(whole.keySet(), split.keySet());
                whole.forEach(
                        (k, v) ->
                                assertEquals(
                                        v, split.get(k), 1e-12, k + " with " + parts + " parts"));
            }
        }

        @Test
        void bagValuesEqualTheDirectCalculators() {
            double[] c = {2, 1, 0.5, 4};
            double[] r = {1, 3, 0.5, -1};
            Map<String, Double> m = PairwiseMetrics.addTo(new MetricBag(), c, r).means();
            assertEquals(PairwiseMetrics.accuracy(c, r), m.get(MetricNames.ACCURACY), 1e-15);
            assertEquals(
                    PairwiseMetrics.marginStats(c, r).mean(), m.get(MetricNames.MARGIN), 1e-15);
            assertEquals(
                    PairwiseMetrics.marginStats(c, r).std(),
                    m.get(MetricNames.MARGIN + "_std"),
                    1e-12);
            assertEquals(
                    PairwiseMetrics.rewardStats(c, r).std(),
                    m.get(MetricNames.REWARD_ALL + "_std"),
                    1e-12);
            assertEquals(7.5 / 4, m.get(MetricNames.REWARD_CHOSEN), 1e-15);
            assertEquals(3.5 / 4, m.get(MetricNames.REWARD_REJECTED), 1e-15);
        }

        @Test
        void policyBagHoldsRankingAccuracyAndLogProbMeans() {
            Map<String, Double> m =
                    PairwiseMetrics.addPolicyTo(
                                    new MetricBag(), new double[] {-10, -5}, new double[] {-12, -4})
                            .means();
            assertEquals(0.5, m.get(MetricNames.POLICY_RANKING_ACCURACY));
            assertEquals(-7.5, m.get(MetricNames.LOGPS_CHOSEN));
            assertEquals(-8.0, m.get(MetricNames.LOGPS_REJECTED));
        }
    }

    @Nested
    class Validation {
        @Test
        void rejectsNonFiniteScoresNamingTheIndex() {
            IllegalArgumentException e =
                    assertThrows(
                            IllegalArgumentException.class,
                            () ->
                                    PairwiseMetrics.accuracy(
                                            new double[] {1, Double.NaN}, new double[] {0, 0}));
            assertTrue(e.getMessage().contains("index 1"), e.getMessage());
        }

        @Test
        void rejectsArraysOfDifferentLengths() {
            assertThrows(
                    IllegalArgumentException.class,
                    () -> PairwiseMetrics.accuracy(new double[] {1, 2}, new double[] {0}));
        }
    }
}
