package dev.reward4j.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.reward4j.core.testing.Samples;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The data-model additions for research reward models: user ids and contexts on pairs, context
 * templates, step-annotated solutions, user indices, flip groups and the strength-based transforms.
 */
class ResearchRecordsTest {
    static final Source SRC = Source.memory(1);

    static PreferencePair pair(String id, String chosen, String rejected) {
        return PreferencePair.of(
                id, new PlainText("q"), new PlainText(chosen), new PlainText(rejected), SRC);
    }

    @Nested
    class Pairs {
        @Test
        void theSevenArgumentConstructorStillBuildsAPairWithoutUserAndContext() {
            PreferencePair p =
                    new PreferencePair(
                            "a",
                            new PlainText("q"),
                            new PlainText("c"),
                            new PlainText("r"),
                            OptionalDouble.of(1.5),
                            0.5,
                            SRC);
            assertEquals(Optional.empty(), p.userId());
            assertEquals(Optional.empty(), p.context());
            assertEquals(1.5, p.margin().getAsDouble());
        }

        @Test
        void withersKeepEveryOtherFieldAndSwappedExchangesTheResponses() {
            PreferencePair p =
                    pair("a", "c", "r").withUserId("u-1").withContext(new PlainText("be brief"));
            PreferencePair s = p.swapped();
            assertEquals(new PlainText("r"), s.chosen());
            assertEquals(new PlainText("c"), s.rejected());
            assertEquals(Optional.of("u-1"), s.userId());
            assertEquals(Optional.of(new PlainText("be brief")), s.context());
            assertEquals(2.0, s.withMargin(2.0).margin().getAsDouble());
            assertEquals(Optional.empty(), p.withRenderedPrompt(new PlainText("x")).context());
        }

        @Test
        void anEmptyUserIdIsRejected() {
            IllegalArgumentException e =
                    assertThrows(
                            IllegalArgumentException.class,
                            () -> pair("a", "c", "r").withUserId(""));
            assertTrue(e.getMessage().contains("userId is empty"), e.getMessage());
        }
    }

    @Nested
    class Contexts {
        @Test
        void theDefaultFormatPutsThePlainContextBeforeThePlainPrompt() {
            PreferencePair p = pair("a", "c", "r").withContext(new PlainText("prefer brief"));
            PreferencePair rendered = ContextTemplate.defaults().apply(p);
            assertEquals(new PlainText("prefer brief\nq"), rendered.prompt());
            assertEquals(Optional.empty(), rendered.context());
        }

        @Test
        void aSystemMessageTemplateTurnsThePromptIntoAConversation() {
            Text t = new ContextTemplate.SystemMessage().render("be kind", new PlainText("hi"));
            assertEquals(
                    Conversation.of(new Message("system", "be kind"), new Message("user", "hi")),
                    t);
        }

        @Test
        void aConversationPromptGetsTheContextInItsSystemMessage() {
            Conversation prompt =
                    Conversation.of(new Message("system", "You help."), new Message("user", "hi"));
            Text t = ContextTemplate.defaults().render("be brief", prompt);
            assertEquals(
                    Conversation.of(
                            new Message("system", "be brief\n\nYou help."),
                            new Message("user", "hi")),
                    t);
        }

        @Test
        void aFormatWithoutTheContextPlaceholderIsRejected() {
            assertThrows(
                    IllegalArgumentException.class, () -> new ContextTemplate.Format("{prompt}"));
        }

        @Test
        void flipGroupsAreSamePromptSameResponsesOppositePreferenceUnderOtherContexts() {
            PreferencePair a = pair("a", "x", "y").withContext(new PlainText("prefer x"));
            PreferencePair b = pair("b", "y", "x").withContext(new PlainText("prefer y"));
            PreferencePair c = pair("c", "x", "y").withContext(new PlainText("prefer x"));
            PreferencePair d = pair("d", "u", "v");
            Map<String, String> g = ContextFlips.groups(List.of(a, b, c, d));
            assertEquals(Map.of("a", "flip-0", "b", "flip-0", "c", "flip-0"), g);
            // same orientation only, or opposite without another context: no flip
            assertTrue(ContextFlips.groups(List.of(a, c)).isEmpty());
            assertTrue(
                    ContextFlips.groups(List.of(pair("e", "x", "y"), pair("f", "y", "x")))
                            .isEmpty());
        }
    }

    @Nested
    class Steps {
        @Test
        void stepwiseRowsReadBooleanAndFractionalLabels() {
            List<StepwiseExample> ex = Samples.read("stepwise.jsonl", new StepwiseFormat());
            assertEquals(2, ex.size());
            assertEquals("s-1", ex.get(0).id());
            assertEquals(List.of("3 + 4 = 7", "7 + 2 = 10"), ex.get(0).steps());
            assertArrayEquals(new double[] {1, 0}, ex.get(0).labels(), 0.0);
            assertEquals(1, ex.get(0).firstBadStep());
            assertArrayEquals(new double[] {0.75}, ex.get(1).labels(), 0.0);
            assertEquals(-1, ex.get(1).firstBadStep());
            assertTrue(ex.get(1).prompt() instanceof Conversation);
        }

        @Test
        void aLabelCountThatDiffersFromTheStepCountNamesFileLineAndField() {
            DataFormatException e =
                    assertThrows(
                            DataFormatException.class,
                            () -> Samples.read("stepwise-bad.jsonl", new StepwiseFormat()));
            assertTrue(e.getMessage().contains("stepwise-bad.jsonl:1"), e.getMessage());
            assertTrue(e.getMessage().contains("labels"), e.getMessage());
        }

        @Test
        void labelsOutsideTheUnitIntervalAreRejected() {
            assertThrows(
                    IllegalArgumentException.class,
                    () ->
                            new StepwiseExample(
                                    "x",
                                    new PlainText("p"),
                                    List.of("s"),
                                    new double[] {1.5},
                                    SRC));
        }
    }

    @Nested
    class Users {
        @Test
        void theIndexIsSortedDistinctAndSavesAndLoads(@TempDir Path dir) {
            UserIndex u = UserIndex.of(List.of("b", "a", "b", "c"));
            assertEquals(List.of("a", "b", "c"), u.users());
            assertEquals(1, u.rowOf("b"));
            assertEquals(Optional.empty(), u.row("z"));
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> u.rowOf("z"));
            assertTrue(e.getMessage().contains("unknown user 'z'"), e.getMessage());
            u.save(dir.resolve("users.json"));
            assertEquals(u, UserIndex.load(dir.resolve("users.json")));
        }
    }

    @Nested
    class Strengths {
        @Test
        void strengthIsTheMeanAndPopulationStdOfMemberDifferences() {
            PreferenceStrength s = PreferenceStrength.of(new double[] {1, 3});
            assertEquals(2, s.mean(), 0.0);
            assertEquals(1, s.std(), 0.0);
            assertEquals(2, s.zScore(), 0.0);
            assertEquals(-2, s.reversed().mean(), 0.0);
            assertEquals(
                    Double.NEGATIVE_INFINITY,
                    PreferenceStrength.of(new double[] {-1, -1}).zScore());
        }

        @Test
        void reversalFlipFlipsOnlyConfidentReversalsAndCountsEverything() {
            List<PreferencePair> pairs =
                    List.of(
                            pair("a", "1", "2"),
                            pair("b", "3", "4"),
                            pair("c", "5", "6"),
                            pair("d", "7", "8"));
            Map<String, PreferenceStrength> s =
                    Map.of(
                            "a", new PreferenceStrength(-2, 1), // z = -2: flipped
                            "b", new PreferenceStrength(-0.5, 1), // z = -0.5: kept
                            "c", new PreferenceStrength(3, 0.1)); // d: unmeasured
            Transformed t = new ReversalFlip(1.0).apply(pairs, s);
            assertEquals(new PlainText("2"), t.pairs().get(0).chosen());
            assertEquals(new PlainText("3"), t.pairs().get(1).chosen());
            assertEquals(new TransformCounters(4, 1, 1), t.counters());
            assertEquals(2, t.strengths().get("a").mean(), 0.0);
            assertFalse(t.strengths().containsKey("d"));
        }

        @Test
        void adaptiveMarginIsTheClippedScaledPositiveStrength() {
            AdaptiveMargin m = new AdaptiveMargin(0.5, 1.0);
            assertEquals(0.0, m.margin(new PreferenceStrength(-3, 1)), 0.0);
            assertEquals(0.75, m.margin(new PreferenceStrength(1.5, 1)), 0.0);
            assertEquals(1.0, m.margin(new PreferenceStrength(9, 1)), 0.0);
            Transformed t =
                    m.apply(
                            List.of(pair("a", "1", "2"), pair("b", "3", "4")),
                            Map.of("a", new PreferenceStrength(1.5, 0)));
            assertEquals(0.75, t.pairs().get(0).margin().getAsDouble(), 0.0);
            assertFalse(t.pairs().get(1).margin().isPresent());
            assertEquals(new TransformCounters(2, 1, 1), t.counters());
        }
    }
}
