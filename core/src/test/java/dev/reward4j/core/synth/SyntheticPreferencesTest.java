package dev.reward4j.core.synth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class SyntheticPreferencesTest {
    private final SyntheticPreferences gen = new SyntheticPreferences(SynthConfig.defaults());

    private static SynthTask task(String name) {
        for (SynthTask t : SynthConfig.defaults().tasks()) {
            if (t.sample(new SplittableRandom(0), 1).task().equals(name)) {
                return t;
            }
        }
        throw new AssertionError(name);
    }

    @Nested
    class Determinism {
        @Test
        void sameSeedGivesIdenticalDataInEveryVariant() {
            SyntheticPreferences again = new SyntheticPreferences(SynthConfig.defaults());
            assertEquals(gen.pairs(Split.TRAIN, 0, 300), again.pairs(Split.TRAIN, 0, 300));
            assertEquals(gen.unpaired(Split.TRAIN, 0, 300), again.unpaired(Split.TRAIN, 0, 300));
            List<SynthList> a = gen.rankedLists(Split.TRAIN, 0, 100);
            List<SynthList> b = again.rankedLists(Split.TRAIN, 0, 100);
            for (int i = 0; i < a.size(); i++) {
                assertEquals(a.get(i).responses(), b.get(i).responses());
                assertArrayEquals(a.get(i).scores(), b.get(i).scores());
            }
            List<SynthRated> ra = gen.rated(Split.TRAIN, 0, 100);
            List<SynthRated> rb = again.rated(Split.TRAIN, 0, 100);
            for (int i = 0; i < ra.size(); i++) {
                assertEquals(ra.get(i).response(), rb.get(i).response());
                assertArrayEquals(ra.get(i).ratings(), rb.get(i).ratings());
            }
        }

        @Test
        void exampleDependsOnlyOnItsIndexNotOnTheRangeRequested() {
            List<SynthPair> all = gen.pairs(Split.TRAIN, 0, 50);
            assertEquals(all.subList(20, 50), gen.pairs(Split.TRAIN, 20, 30));
        }

        @Test
        void otherSeedOrSplitGivesOtherData() {
            List<SynthPair> base = gen.pairs(Split.TRAIN, 0, 100);
            assertNotEquals(
                    base,
                    new SyntheticPreferences(SynthConfig.defaults().withSeed(43))
                            .pairs(Split.TRAIN, 0, 100));
            Set<String> train =
                    base.stream()
                            .map(p -> p.prompt() + p.chosen() + p.rejected())
                            .collect(Collectors.toSet());
            long same =
                    gen.pairs(Split.HELD_OUT, 0, 100).stream()
                            .filter(p -> train.contains(p.prompt() + p.chosen() + p.rejected()))
                            .count();
            assertTrue(same < 10, "held-out pairs identical to train pairs: " + same);
        }
    }

    @Nested
    class GroundTruth {
        @Test
        void pairRewardsAreTheJudgementOfTheTextAndDiffer() {
            for (SynthPair p : gen.pairs(Split.TRAIN, 0, 500)) {
                SynthTask t = task(p.task());
                assertEquals(t.judge(p.prompt(), p.chosen()).reward(), p.chosenReward(), 0, p.id());
                assertEquals(
                        t.judge(p.prompt(), p.rejected()).reward(), p.rejectedReward(), 0, p.id());
                assertNotEquals(p.chosenReward(), p.rejectedReward(), p.id());
            }
        }

        @Test
        void everyTaskAppearsInTheDefaultMix() {
            Set<String> tasks = new HashSet<>();
            gen.pairs(Split.TRAIN, 0, 100).forEach(p -> tasks.add(p.task()));
            assertEquals(Set.of("arithmetic", "constraint", "consistency"), tasks);
        }

        @Test
        void labelsFollowTheGroundTruthMoreOftenThanNot() {
            long agree =
                    gen.pairs(Split.TRAIN, 0, 1000).stream()
                            .filter(p -> p.chosenReward() > p.rejectedReward())
                            .count();
            assertTrue(agree > 850 && agree < 980, "agree " + agree);
        }
    }

    @Nested
    class Conversion {
        @Test
        void variantsConvertToCoreDataRecordsKeepingTextsLabelsAndSource() {
            SynthPair p = gen.pairs(Split.TRAIN, 3, 1).get(0);
            dev.reward4j.core.data.PreferencePair pp = p.toPreferencePair();
            assertEquals(new dev.reward4j.core.data.PlainText(p.chosen()), pp.chosen());
            assertEquals(new dev.reward4j.core.data.PlainText(p.rejected()), pp.rejected());
            assertEquals(new dev.reward4j.core.data.Source("<synth:pair:train>", 3), pp.source());
            SynthList l = gen.rankedLists(Split.HELD_OUT, 0, 1).get(0);
            assertArrayEquals(l.scores(), l.toRankedList().scores());
            assertEquals(4, l.toRankedList().responses().size());
            SynthRated r = gen.rated(Split.TRAIN, 0, 1).get(0);
            assertEquals(Judgement.ATTRIBUTES, r.toRatedResponse().attributeNames());
            SynthUnpaired u = gen.unpaired(Split.TRAIN, 0, 1).get(0);
            assertEquals(u.desirable(), u.toUnpairedFeedback().desirable());
        }
    }

    @Nested
    class Variants {
        @Test
        void rankedListsHaveFourResponsesAndAPermutationOfScores() {
            for (SynthList l : gen.rankedLists(Split.TRAIN, 0, 200)) {
                assertEquals(4, l.responses().size());
                double[] s = l.scores();
                Arrays.sort(s);
                assertArrayEquals(new double[] {0, 1, 2, 3}, s, l.id());
                SynthTask t = task(l.task());
                for (int k = 0; k < 4; k++) {
                    assertEquals(
                            t.judge(l.prompt(), l.responses().get(k)).reward(), l.rewards()[k], 0);
                }
            }
        }

        @Test
        void ratingsAreIntegersInRangeOnPresentAttributesOnly() {
            for (SynthRated r : gen.rated(Split.TRAIN, 0, 300)) {
                assertArrayEquals(r.truth().present(), r.present());
                double[] ratings = r.ratings();
                for (int k = 0; k < ratings.length; k++) {
                    assertTrue(
                            ratings[k] >= 0
                                    && ratings[k] <= 4
                                    && ratings[k] == Math.rint(ratings[k]));
                    if (!r.present()[k]) {
                        assertEquals(0, ratings[k]);
                    }
                }
            }
        }

        @Test
        void ratingsAreUnbiasedNearTheMiddleOfTheScale() {
            // with rounding of truth + T * N(0,1) the mean error is ~0 away from the clamps
            double err = 0;
            int n = 0;
            for (SynthRated r : gen.rated(Split.TRAIN, 0, 3000)) {
                for (int k = 0; k < 3; k++) {
                    double v = r.truth().values()[k];
                    if (r.present()[k] && v >= 1 && v <= 3) {
                        err += r.ratings()[k] - v;
                        n++;
                    }
                }
            }
            assertEquals(0, err / n, 0.05);
        }

        @Test
        void unpairedLabelRateMatchesTheLabelModel() {
            List<SynthUnpaired> ex = gen.unpaired(Split.TRAIN, 0, 5000);
            double expected = 0;
            double observed = 0;
            for (SynthUnpaired e : ex) {
                double pDesirable =
                        e.desirable() ? e.desirableProbability() : 1 - e.desirableProbability();
                expected += pDesirable;
                observed += e.desirable() ? 1 : 0;
            }
            assertEquals(
                    expected / ex.size(), observed / ex.size(), 4 * Math.sqrt(0.25 / ex.size()));
        }
    }
}
