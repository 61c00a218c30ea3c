package dev.reward4j.core.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.reward4j.core.testing.Samples;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Covers RewardBenchV1Format and RewardBenchV2Format. */
class RewardBenchFormatsTest {
    @Test
    void v1RowsBecomeUserPromptAndAssistantCompletions() {
        List<EvalPair> rows = Samples.read("rewardbench-v1.jsonl", new RewardBenchV1Format());
        assertEquals(2, rows.size());
        EvalPair r = rows.get(0);
        assertEquals("30", r.id());
        assertEquals("alpacaeval-easy", r.subset());
        assertEquals(
                Conversation.of(new Message("user", "How do I make a cup of green tea?")),
                r.prompt());
        assertEquals(
                Conversation.of(new Message("assistant", "Boil the leaves for 20 minutes.")),
                r.rejected());
    }

    @Test
    void v2RowsKeepCorrectCompletionsFirstAndNumCorrect() {
        List<EvalBestOfN> rows = Samples.read("rewardbench-v2.jsonl", new RewardBenchV2Format());
        assertEquals(1, rows.get(0).numCorrect());
        assertEquals(3, rows.get(0).rejected().size());
        EvalBestOfN ties = rows.get(1);
        assertEquals("tied:7", ties.id());
        assertEquals(3, ties.numCorrect());
        assertEquals(Conversation.of(new Message("assistant", "Red.")), ties.completions().get(0));
        assertEquals(4, ties.completions().size());
    }

    @Test
    void evalRowsConvertToTrainingRecordsForTokenization() {
        EvalPair v1 = Samples.read("rewardbench-v1.jsonl", new RewardBenchV1Format()).get(0);
        PreferencePair p = v1.toPair();
        assertEquals(v1.chosen(), p.chosen());
        assertEquals(v1.source(), p.source());
        RankedList l =
                Samples.read("rewardbench-v2.jsonl", new RewardBenchV2Format())
                        .get(1)
                        .toRankedList();
        assertEquals(4, l.size());
        org.junit.jupiter.api.Assertions.assertArrayEquals(new double[] {1, 1, 1, 0}, l.scores());
    }

    @Test
    void emptyCompletionListIsRejectedWithFileLineAndField() {
        DataFormatException e =
                assertThrows(
                        DataFormatException.class,
                        () -> Samples.read("bad/empty-list.jsonl", new RewardBenchV2Format()));
        assertEquals("chosen", e.field());
        assertTrue(e.getMessage().contains("empty-list.jsonl:1"), e.getMessage());
        assertTrue(e.getMessage().contains("at least 1"), e.getMessage());
    }
}
