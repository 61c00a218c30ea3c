package dev.reward4j.core.transform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.reward4j.core.data.Conversation;
import dev.reward4j.core.data.DataFormatException;
import dev.reward4j.core.data.Message;
import dev.reward4j.core.data.PlainText;
import dev.reward4j.core.data.PreferencePair;
import dev.reward4j.core.data.RankedList;
import dev.reward4j.core.data.Source;
import dev.reward4j.core.data.TrlFormat;
import dev.reward4j.core.data.UltraFeedbackBinarized;
import dev.reward4j.core.data.UltraFeedbackPairs;
import dev.reward4j.core.data.UltraFeedbackPairs.Pairing;
import dev.reward4j.core.data.UltraFeedbackRanked;
import dev.reward4j.core.testing.Samples;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RewardAugmentationTest {
    static final RewardAugmentation RA =
            new RewardAugmentation("Target score: {score}.", "sc", "sr");

    static PreferencePair pair(String prompt) {
        return PreferencePair.of(
                "p1",
                new PlainText(prompt),
                new PlainText("good"),
                new PlainText("bad"),
                new Source("f.jsonl", 3));
    }

    @Test
    void aPairBecomesTwoGoalConditionedPairsTheSecondReversed() {
        List<PreferencePair> out = RA.relabel(pair("Q?"), 9, 4.5, r -> {});
        assertEquals(2, out.size());
        PreferencePair hi = out.get(0);
        PreferencePair lo = out.get(1);
        assertEquals("p1#goal-chosen", hi.id());
        assertEquals(new PlainText("Target score: 9.\n\nQ?"), hi.prompt());
        assertEquals(new PlainText("good"), hi.chosen());
        assertEquals(new PlainText("bad"), hi.rejected());
        assertEquals("p1#goal-rejected", lo.id());
        assertEquals(new PlainText("Target score: 4.5.\n\nQ?"), lo.prompt());
        // for the low goal the low-scored response is the one to produce
        assertEquals(new PlainText("bad"), lo.chosen());
        assertEquals(new PlainText("good"), lo.rejected());
        assertEquals(new Source("f.jsonl", 3), lo.source());
    }

    @Test
    void aConversationGetsTheGoalAsALeadingSystemMessage() {
        PreferencePair p =
                new PreferencePair(
                        "c",
                        Conversation.of(Message.user("Hi")),
                        new PlainText("a"),
                        new PlainText("b"),
                        java.util.OptionalDouble.empty(),
                        1,
                        Source.memory(1));
        PreferencePair hi = RA.relabel(p, 7, 2, r -> {}).get(0);
        assertEquals(
                Conversation.of(new Message("system", "Target score: 7."), Message.user("Hi")),
                hi.prompt());
    }

    @Test
    void equalScoresKeepOnlyTheForwardPairAndReportIt() {
        List<String> skipped = new ArrayList<>();
        List<PreferencePair> out = RA.relabel(pair("Q"), 5, 5, skipped::add);
        assertEquals(1, out.size());
        assertEquals(1, skipped.size());
        assertTrue(skipped.get(0).contains("equal scores"), skipped.toString());
    }

    @Test
    void theAuthorsTemplatePrintsIntegralScoresWithoutDecimals() {
        String g = RewardAugmentation.defaults().goal(8.0);
        assertTrue(g.endsWith("Overall score: 8."), g);
        assertTrue(g.startsWith("You are an assistant that generates responses"), g);
        assertTrue(RewardAugmentation.defaults().goal(7.25).endsWith("Overall score: 7.25."));
    }

    @Test
    void ultraFeedbackBinarizedRowsAreRelabelledWithTheirScoreFields() {
        List<PreferencePair> base =
                Samples.read("ultrafeedback-binarized.jsonl", new UltraFeedbackBinarized(false));
        List<PreferencePair> out =
                Samples.read(
                        "ultrafeedback-binarized.jsonl",
                        RewardAugmentation.defaults().on(new UltraFeedbackBinarized(false)));
        assertEquals(2 * base.size(), out.size());
        // first row: score_chosen 9.5, score_rejected 1.0
        Conversation first = (Conversation) out.get(0).prompt();
        assertEquals("system", first.messages().get(0).role());
        assertTrue(first.messages().get(0).content().endsWith("Overall score: 9.5."));
        Conversation second = (Conversation) out.get(1).prompt();
        assertTrue(second.messages().get(0).content().endsWith("Overall score: 1."));
        assertEquals(base.get(0).rejected(), out.get(1).chosen());
    }

    @Test
    void aRowWithoutTheScoreFieldIsAnErrorNamingIt() {
        DataFormatException e =
                assertThrows(
                        DataFormatException.class,
                        () ->
                                Samples.read(
                                        "trl-standard.jsonl",
                                        RewardAugmentation.defaults().on(TrlFormat.standard())));
        assertTrue(e.getMessage().contains("score_chosen"), e.getMessage());
        assertTrue(e.getMessage().contains("trl-standard.jsonl:1"), e.getMessage());
    }

    @Test
    void rankedListsArePairedAndRelabelledWithEachResponsesOwnScore() {
        List<RankedList> lists =
                Samples.read("ultrafeedback.jsonl", UltraFeedbackRanked.defaults());
        List<PreferencePair> plain =
                Samples.read("ultrafeedback.jsonl", UltraFeedbackPairs.bestVsRest());
        List<PreferencePair> out =
                Samples.read(
                        "ultrafeedback.jsonl",
                        RA.onLists(UltraFeedbackRanked.defaults(), Pairing.BEST_VS_REST));
        assertEquals(2 * plain.size(), out.size());
        RankedList l = lists.get(0);
        double best = java.util.Arrays.stream(l.scores()).max().getAsDouble();
        PreferencePair first = out.get(0);
        assertTrue(first.id().startsWith(l.id() + "#"), first.id());
        assertTrue(
                ((PlainText) first.prompt()).text().startsWith(RA.goal(best)),
                first.prompt().toString());
    }

    @Test
    void theTemplateMustHoldTheScorePlaceholder() {
        assertThrows(
                IllegalArgumentException.class,
                () -> new RewardAugmentation("no placeholder", "a", "b"));
    }
}
