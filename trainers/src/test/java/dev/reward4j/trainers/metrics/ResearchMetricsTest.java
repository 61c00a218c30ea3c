package dev.reward4j.trainers.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** AUROC, adjusted Rand index, per-user accuracy, context-flip accuracy, preference metrics. */
class ResearchMetricsTest {
    @Test
    void aurocIsTheProbabilityThatAPositiveOutscoresANegativeWithHalfCreditForTies() {
        boolean[] pos = {true, false, true, false};
        assertEquals(1.0, Auroc.of(new double[] {3, 1, 2, 0}, pos), 0.0);
        assertEquals(0.0, Auroc.of(new double[] {0, 2, 1, 3}, pos), 0.0);
        // positives {2, 1}, negatives {1, 0}: pairs (2>1, 2>0, 1=1, 1>0) = 3.5 / 4
        assertEquals(0.875, Auroc.of(new double[] {2, 1, 1, 0}, pos), 0.0);
        assertEquals(Double.NaN, Auroc.of(new double[] {1, 2}, new boolean[] {true, true}));
    }

    @Test
    void adjustedRandIndexIsOneForRelabelledPartitionsAndNearZeroForUnrelatedOnes() {
        assertEquals(
                1.0, AdjustedRandIndex.of(new int[] {0, 0, 1, 1}, new int[] {1, 1, 0, 0}), 0.0);
        // textbook example: {a a b b} vs {a b a b} gives ARI -0.5
        assertEquals(
                -0.5, AdjustedRandIndex.of(new int[] {0, 0, 1, 1}, new int[] {0, 1, 0, 1}), 1e-12);
        java.util.SplittableRandom rng = new java.util.SplittableRandom(1);
        int[] a = new int[2000];
        int[] b = new int[2000];
        for (int i = 0; i < a.length; i++) {
            a[i] = rng.nextInt(2);
            b[i] = rng.nextInt(3);
        }
        assertEquals(0.0, AdjustedRandIndex.of(a, b), 0.01);
        assertThrows(IllegalArgumentException.class, () -> AdjustedRandIndex.of(a, new int[1]));
    }

    @Test
    void perUserAccuracyWeighsUsersEquallyAndReportsTheWorst() {
        UserAccuracy u =
                UserAccuracy.of(
                        List.of("a", "a", "a", "a", "b", "b"),
                        new boolean[] {true, true, true, false, false, true});
        assertEquals(0.75, u.perUser().get("a"), 0.0);
        assertEquals(0.5, u.perUser().get("b"), 0.0);
        assertEquals(0.625, u.mean(), 0.0);
        assertEquals(0.5, u.worst(), 0.0);
    }

    @Test
    void contextFlipAccuracyCountsPairsAndWholeGroups() {
        ContextFlipAccuracy c =
                ContextFlipAccuracy.of(
                        Arrays.asList("g1", "g1", "g2", "g2", null),
                        new boolean[] {true, true, true, false, false});
        assertEquals(0.75, c.pairAccuracy(), 0.0);
        assertEquals(0.5, c.groupAccuracy(), 0.0);
        assertEquals(4, c.pairs());
        assertEquals(2, c.groups());
        MetricBag bag = c.addTo(new MetricBag());
        assertEquals(0.75, bag.means().get(ContextFlipAccuracy.PAIR_ACCURACY), 1e-12);
    }

    @Test
    void preferenceMetricsAreStrictAccuracyAndNegativeLogLikelihood() {
        MetricBag bag = PreferenceMetrics.addTo(new MetricBag(), new double[] {0.9, 0.5, 0.2});
        assertEquals(1.0 / 3, bag.means().get(MetricNames.ACCURACY), 1e-12);
        assertEquals(
                -(Math.log(0.9) + Math.log(0.5) + Math.log(0.2)) / 3,
                bag.means().get(MetricNames.PREFERENCE_NLL),
                1e-12);
    }
}
