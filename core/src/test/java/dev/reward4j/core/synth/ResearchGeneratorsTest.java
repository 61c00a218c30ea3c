package dev.reward4j.core.synth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.reward4j.core.data.ContextFlips;
import dev.reward4j.core.data.PlainText;
import dev.reward4j.core.data.PreferencePair;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The generators of the research data sets: ground truth and determinism. */
class ResearchGeneratorsTest {
    @Nested
    class Cyclic {
        final CyclicPreferences rps = CyclicPreferences.rockPaperScissors(1);

        @Test
        void rockPaperScissorsIsACycleWithATransitiveCeilingOfTwoThirds() {
            // items: 0 rock, 1 scissors, 2 paper
            assertTrue(rps.beats(0, 1) && rps.beats(1, 2) && rps.beats(2, 0));
            assertTrue(!rps.beats(1, 0) && !rps.beats(0, 0));
            assertEquals(2.0 / 3.0, rps.transitiveCeiling(), 1e-12);
            // five items, each beating the next two: a rotational tournament
            CyclicPreferences five = new CyclicPreferences(1, List.of("a", "b", "c", "d", "e"));
            assertTrue(five.beats(0, 1) && five.beats(0, 2) && five.beats(3, 0));
            assertEquals(0.7, five.transitiveCeiling(), 1e-12);
        }

        @Test
        void pairsAreBalancedCorrectlyLabelledAndAPureFunctionOfTheIndex() {
            List<SynthCyclicPair> pairs = rps.pairs(Split.TRAIN, 0, 300);
            int[] types = new int[3];
            for (SynthCyclicPair p : pairs) {
                assertTrue(rps.beats(p.chosenItem(), p.rejectedItem()));
                assertTrue(p.chosen().contains(rps.items().get(p.chosenItem())));
                types[p.chosenItem() + p.rejectedItem() - 1]++;
            }
            assertArrayEquals(new int[] {100, 100, 100}, types);
            assertEquals(
                    rps.pairs(Split.TRAIN, 0, 300).subList(50, 60), rps.pairs(Split.TRAIN, 50, 10));
            assertNotEquals(pairs.get(0), rps.pairs(Split.HELD_OUT, 0, 1).get(0));
        }
    }

    @Nested
    class Population {
        final PopulationPreferences gen = PopulationPreferences.defaults(2);

        @Test
        void groupsDisagreeOnConflictPairsAndAgreeOtherwise() {
            List<SynthUserPair> a = gen.pairsOf(Split.TRAIN, 0, 0, 200);
            List<SynthUserPair> b = gen.pairsOf(Split.TRAIN, 1, 0, 200);
            int conflicts = 0;
            for (SynthUserPair p : a) {
                assertEquals(0, p.group());
                assertEquals("user-00", p.userId());
                if (p.conflict()) {
                    conflicts++;
                    assertTrue(isFormal(p.chosen()) && !isFormal(p.rejected()), p.toString());
                } else {
                    assertTrue(isHigh(p.chosen()) && !isHigh(p.rejected()), p.toString());
                }
            }
            for (SynthUserPair p : b) {
                if (p.conflict()) {
                    assertTrue(!isFormal(p.chosen()) && isFormal(p.rejected()), p.toString());
                }
            }
            assertTrue(conflicts > 120 && conflicts < 180, "about 75% conflicts: " + conflicts);
            assertEquals(
                    PopulationPreferences.userId(7),
                    gen.pairs(Split.TRAIN, 7, 1, 3).get(0).userId());
            assertEquals(a.subList(10, 20), gen.pairsOf(Split.TRAIN, 0, 10, 10));
            assertEquals(java.util.Optional.of("user-00"), a.get(0).toPreferencePair().userId());
        }

        boolean isFormal(String r) {
            return List.of("certainly", "indeed", "kindly", "regards").contains(r.split(" ")[0]);
        }

        boolean isHigh(String r) {
            return List.of("clear", "correct", "complete", "precise").contains(r.split(" ")[1]);
        }
    }

    @Nested
    class Contexts {
        @Test
        void couplesShareThePromptAndResponsesUnderOppositeContexts() {
            List<SynthContextPair> pairs = new ContextPreferences(3).pairs(Split.TRAIN, 0, 200);
            for (int c = 0; c < 100; c++) {
                SynthContextPair x = pairs.get(2 * c);
                SynthContextPair y = pairs.get(2 * c + 1);
                assertEquals(x.flipGroup(), y.flipGroup());
                assertEquals(x.prompt(), y.prompt());
                assertEquals(x.chosen(), y.rejected());
                assertEquals(x.rejected(), y.chosen());
                assertNotEquals(x.context(), y.context());
            }
            List<PreferencePair> prefs =
                    pairs.stream().map(SynthContextPair::toPreferencePair).toList();
            assertEquals(200, ContextFlips.groups(prefs).size());
            assertEquals(
                    new PlainText("prefer formal tone ."),
                    prefs.stream()
                            .filter(
                                    p ->
                                            p.context()
                                                    .get()
                                                    .equals(new PlainText("prefer formal tone .")))
                            .findFirst()
                            .orElseThrow()
                            .context()
                            .get());
            assertTrue(pairs.get(0).toContextBlindPair().context().isEmpty());
        }
    }

    @Nested
    class Chains {
        @Test
        void labelsAreOneBeforeTheWrongStepAndZeroFromIt() {
            ArithmeticChains gen = ArithmeticChains.defaults(4);
            Set<Integer> wrongSteps = new HashSet<>();
            int withError = 0;
            for (SynthStepChain c : gen.chains(Split.TRAIN, 0, 500)) {
                String[] numbers = c.prompt().split(" ");
                int total = Integer.parseInt(numbers[1]);
                int firstLocalError = -1;
                for (int s = 0; s < c.steps().size(); s++) {
                    String[] t = c.steps().get(s).split(" ");
                    assertEquals(total, Integer.parseInt(t[0]), "steps continue from the total");
                    assertEquals(Integer.parseInt(numbers[s + 2]), Integer.parseInt(t[2]));
                    int result = Integer.parseInt(t[4]);
                    if (result != total + Integer.parseInt(t[2]) && firstLocalError < 0) {
                        firstLocalError = s;
                    }
                    assertEquals(
                            c.wrongStep() >= 0 && s >= c.wrongStep() ? 0.0 : 1.0, c.labels()[s]);
                    total = result;
                }
                assertEquals(c.wrongStep(), firstLocalError);
                assertEquals(c.wrongStep(), c.toStepwiseExample().firstBadStep());
                if (c.wrongStep() >= 0) {
                    withError++;
                    wrongSteps.add(c.wrongStep());
                }
            }
            assertTrue(withError > 300 && withError < 400, "about 70% with an error: " + withError);
            assertEquals(Set.of(0, 1, 2, 3), wrongSteps);
            assertTrue(
                    gen.withErrorRate(1).chains(Split.HELD_OUT, 0, 50).stream()
                            .allMatch(c -> c.wrongStep() >= 0));
            List<String> vocab = gen.vocabulary();
            for (SynthStepChain c : gen.chains(Split.TRAIN, 0, 200)) {
                for (String s : c.steps()) {
                    for (String w : s.split(" ")) {
                        assertTrue(vocab.contains(w), w);
                    }
                }
            }
        }
    }
}
