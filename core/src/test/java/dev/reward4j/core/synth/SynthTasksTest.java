package dev.reward4j.core.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class SynthTasksTest {
    private static double reward(SynthTask t, String prompt, String response) {
        return t.judge(prompt, response).reward();
    }

    @Nested
    class Arithmetic {
        private final ArithmeticTask t = ArithmeticTask.defaults();

        @Test
        void judgesCorrectnessByAbsoluteError() {
            assertEquals(4, reward(t, "compute 7 + 5 .", "answer 12 ."));
            assertEquals(3, reward(t, "compute 7 + 5 .", "answer 11 ."));
            assertEquals(1, reward(t, "compute 7 + 5 .", "answer 15 ."));
            assertEquals(0, reward(t, "compute 7 + 5 .", "answer 30 ."));
            assertEquals(0, reward(t, "compute 7 + 5 .", "no idea ."));
        }

        @Test
        void rejectsAForeignPrompt() {
            assertThrows(
                    IllegalArgumentException.class,
                    () -> t.judge("list 3 fruit words .", "answer 3 ."));
        }
    }

    @Nested
    class Constraint {
        private final ConstraintTask t = ConstraintTask.defaults();

        @Test
        void judgesCountErrorAndOffCategoryWords() {
            assertEquals(4, reward(t, "list 3 fruit words .", "fig pear kiwi ."));
            assertEquals(3, reward(t, "list 3 fruit words .", "fig pear ."));
            assertEquals(3, reward(t, "list 3 fruit words .", "fig pear cat ."));
            assertEquals(1, reward(t, "list 3 fruit words .", "cat ."));
            assertEquals(0, reward(t, "list 1 fruit words .", "cat dog cow ."));
        }
    }

    @Nested
    class Consistency {
        private final ConsistencyTask t = ConsistencyTask.defaults();

        @Test
        void judgesContradictionsPerObject() {
            String p = "describe the ball and the cup .";
            assertEquals(
                    4,
                    reward(
                            t,
                            p,
                            "the ball is red . the cup is blue . the ball is red . the cup is blue"
                                    + " ."));
            assertEquals(
                    2,
                    reward(
                            t,
                            p,
                            "the ball is red . the cup is blue . the ball is green . the cup is"
                                    + " blue ."));
            assertEquals(
                    0,
                    reward(
                            t,
                            p,
                            "the ball is red . the cup is blue . the ball is green . the ball is"
                                    + " pink ."));
            assertEquals(
                    0,
                    reward(
                            t,
                            p,
                            "the ball is red . the cup is blue . the ball is green . the cup is"
                                    + " pink ."));
        }
    }

    @Test
    void sampledResponsesCoverEveryLevelDistinctlyAndUseOnlyVocabularyWords() {
        for (SynthTask t : SynthConfig.defaults().tasks()) {
            SplittableRandom rng = new SplittableRandom(3);
            List<String> vocab = t.vocabulary();
            int levels = t instanceof ConsistencyTask ? 3 : 5;
            for (int i = 0; i < 200; i++) {
                Scenario s = t.sample(rng, levels);
                double[] r =
                        s.responses().stream()
                                .mapToDouble(x -> reward(t, s.prompt(), x))
                                .sorted()
                                .toArray();
                double[] expected =
                        levels == 3 ? new double[] {0, 2, 4} : new double[] {0, 1, 2, 3, 4};
                assertEquals(Arrays.toString(expected), Arrays.toString(r), s.toString());
                for (String text : s.responses()) {
                    for (String w : (s.prompt() + " " + text).split(" ")) {
                        assertEquals(true, vocab.contains(w), w + " in " + s);
                    }
                }
            }
        }
    }
}
