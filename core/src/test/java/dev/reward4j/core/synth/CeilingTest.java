package dev.reward4j.core.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class CeilingTest {
    private static final int N = 20_000;

    @Nested
    class ClosedForm {
        @Test
        void isMaxOfPAndOneMinusP() {
            assertEquals(0.8, Ceiling.of(0.8), 0);
            assertEquals(0.8, Ceiling.of(0.2), 1e-15);
            assertEquals(0.5, Ceiling.of(0.5), 0);
        }

        @Test
        void pairProbabilityIsFlipMixedSigmoidOfRewardGapOverTemperature() {
            // p = (1 - 2f) sigmoid(dr / T) + f for every generated pair, with dr = chosen -
            // rejected
            SynthConfig cfg = SynthConfig.defaults().withTemperature(0.7).withFlipRate(0.1);
            for (SynthPair p : new SyntheticPreferences(cfg).pairs(Split.TRAIN, 0, 200)) {
                double dr = p.chosenReward() - p.rejectedReward();
                double expected = 0.8 / (1 + Math.exp(-dr / 0.7)) + 0.1;
                assertEquals(expected, p.preferenceProbability(), 1e-12, p.id());
            }
        }

        @Test
        void approachesOneMinusFlipAsTemperatureGoesToZero() {
            // every pair has distinct rewards (gap >= 1), so sigmoid(gap / 1e-3) = 1 and the
            // ceiling is 1 - flip
            SynthConfig cfg = SynthConfig.defaults().withTemperature(1e-3).withFlipRate(0.2);
            assertEquals(
                    0.8,
                    Ceiling.pairwise(new SyntheticPreferences(cfg).pairs(Split.TRAIN, 0, 500)),
                    1e-12);
        }

        @Test
        void isOneHalfWithMaximalFlipNoise() {
            SynthConfig cfg = SynthConfig.defaults().withFlipRate(0.5);
            assertEquals(
                    0.5,
                    Ceiling.pairwise(new SyntheticPreferences(cfg).pairs(Split.TRAIN, 0, 100)),
                    1e-12);
        }

        @Test
        void rejectsAnEmptySet() {
            assertThrows(IllegalArgumentException.class, () -> Ceiling.pairwise(List.of()));
        }
    }

    @Nested
    class MonteCarlo {
        // The oracle scorer (ground-truth reward) realised on freshly drawn labels must match the
        // exact ceiling within
        // 4 standard errors: sd <= sqrt(0.25 / N) = 0.0035 for N = 20k.
        private final double tolerance = 4 * Math.sqrt(0.25 / N);

        @Test
        void oracleAccuracyOnPairsMatchesTheCeiling() {
            for (SynthConfig cfg :
                    List.of(
                            SynthConfig.defaults(),
                            SynthConfig.defaults().withTemperature(2.0).withFlipRate(0.15))) {
                List<SynthPair> pairs =
                        new SyntheticPreferences(cfg.withSeed(7)).pairs(Split.HELD_OUT, 0, N);
                double hits = 0;
                for (SynthPair p : pairs) {
                    hits +=
                            p.chosenReward() > p.rejectedReward()
                                    ? 1
                                    : p.chosenReward() == p.rejectedReward() ? 0.5 : 0;
                }
                assertEquals(Ceiling.pairwise(pairs), hits / N, tolerance, cfg.toString());
            }
        }

        @Test
        void oracleAccuracyOnUnpairedMatchesTheCeiling() {
            List<SynthUnpaired> ex =
                    new SyntheticPreferences(SynthConfig.defaults()).unpaired(Split.TRAIN, 0, N);
            double threshold = SynthConfig.defaults().desirableThreshold();
            double hits = 0;
            for (SynthUnpaired e : ex) {
                boolean predicted = e.reward() > threshold;
                hits += e.reward() == threshold ? 0.5 : predicted == e.desirable() ? 1 : 0;
            }
            assertEquals(Ceiling.unpaired(ex), hits / N, tolerance);
        }

        @Test
        void oracleTopOneAccuracyOnListsMatchesTheCeiling() {
            SynthConfig cfg = SynthConfig.defaults().withTemperature(1.0).withFlipRate(0.1);
            List<SynthList> lists = new SyntheticPreferences(cfg).rankedLists(Split.TRAIN, 0, N);
            double hits = 0;
            for (SynthList l : lists) {
                double[] r = l.rewards();
                double[] s = l.scores();
                int best = 0;
                for (int k = 1; k < r.length; k++) {
                    best = r[k] > r[best] ? k : best; // first index among ties, as in the generator
                }
                hits += s[best] == r.length - 1 ? 1 : 0;
            }
            assertEquals(Ceiling.topOne(lists), hits / N, tolerance);
        }
    }

    @Test
    void defaultCeilingIsInformativeButBelowOne() {
        double c =
                Ceiling.pairwise(
                        new SyntheticPreferences(SynthConfig.defaults())
                                .pairs(Split.HELD_OUT, 0, 2000));
        System.out.println("default pairwise ceiling = " + c);
        assertTrue(c > 0.8 && c < 0.95, "ceiling " + c);
    }
}
