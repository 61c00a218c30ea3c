package dev.reward4j.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.reward4j.core.testing.Samples;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Covers UltraFeedbackRanked, UltraFeedbackPairs and UltraFeedbackBinarized on the same realistic
 * sample.
 */
class UltraFeedbackFormatsTest {
    @Nested
    class Raw {
        @Test
        void rowsBecomeRankedListsAndSingleCompletionRowsAreSkippedAndCounted() {
            List<RankedList> lists = new ArrayList<>();
            RecordStream<RankedList> s =
                    DataReader.open(
                            Samples.of("ultrafeedback.jsonl"),
                            UltraFeedbackRanked.defaults(),
                            ReadOptions.defaults());
            s.forEachRemaining(lists::add);
            s.close();
            assertEquals(2, lists.size());
            assertEquals(4, lists.get(0).size());
            assertArrayEquals(new double[] {4.75, 1.5, 4.0, 1.5}, lists.get(0).scores());
            assertEquals(
                    new PlainText("Explain why the sky is blue in one sentence."),
                    lists.get(0).prompt());
            assertEquals(1, s.counters().skippedCount());
            assertTrue(s.counters().skippedAt().get(0).contains("ultrafeedback.jsonl:3"));
        }

        @Test
        void overallScoreCanRankInstead() {
            List<RankedList> lists =
                    Samples.read(
                            "ultrafeedback.jsonl",
                            new UltraFeedbackRanked(UltraFeedbackScore.OVERALL));
            assertArrayEquals(new double[] {9.0, 3.0, 7.5, 2.0}, lists.get(0).scores());
        }

        @Test
        void allPairsSkipTiesAndOrderEachPairByScore() {
            RecordStream<PreferencePair> s =
                    DataReader.open(
                            Samples.of("ultrafeedback.jsonl"),
                            UltraFeedbackPairs.allPairs(),
                            ReadOptions.defaults());
            List<PreferencePair> pairs = new ArrayList<>();
            s.forEachRemaining(pairs::add);
            s.close();
            // row 1: 6 pairs minus the 1.5/1.5 tie = 5; row 2: 1 pair
            assertEquals(6, pairs.size());
            assertEquals(2, s.counters().skippedCount()); // one tie + the single-completion row
            for (PreferencePair p : pairs) {
                assertTrue(!p.chosen().equals(p.rejected()));
            }
            assertTrue(pairs.get(0).id().endsWith("#0-1"), pairs.get(0).id());
        }

        @Test
        void bestVersusRestPairsTheTopCompletionWithEachLowerOneWithScoreMargins() {
            List<PreferencePair> pairs =
                    Samples.read(
                            "ultrafeedback.jsonl",
                            new UltraFeedbackPairs(
                                    UltraFeedbackPairs.Pairing.BEST_VS_REST,
                                    UltraFeedbackScore.FINE_GRAINED,
                                    true));
            assertEquals(4, pairs.size());
            PreferencePair first = pairs.get(0);
            assertTrue(((PlainText) first.chosen()).text().startsWith("Sunlight scatters"));
            assertEquals(4.75 - 1.5, first.margin().getAsDouble(), 1e-12);
            assertEquals(4.0 * 1.0, pairs.get(3).margin().getAsDouble(), 1e-12); // 5.0 - 1.0
        }
    }

    @Nested
    class Binarized {
        @Test
        void conversationsSplitIntoUserPromptAndAssistantResponsesWithOptionalScoreMargin() {
            List<PreferencePair> pairs =
                    Samples.read("ultrafeedback-binarized.jsonl", new UltraFeedbackBinarized(true));
            assertEquals(2, pairs.size());
            PreferencePair p = pairs.get(0);
            assertEquals("5f1c0e", p.id());
            assertEquals(Conversation.of(new Message("user", "Is 91 a prime number?")), p.prompt());
            assertEquals(Conversation.of(new Message("assistant", "No, 91 = 7 x 13.")), p.chosen());
            assertEquals(8.5, p.margin().getAsDouble(), 1e-12);
            assertTrue(
                    Samples.read("ultrafeedback-binarized.jsonl", new UltraFeedbackBinarized(false))
                            .get(0)
                            .margin()
                            .isEmpty());
        }
    }

    @Nested
    class NullScores {
        @Test
        void aCompletionWithANullFineGrainedScoreIsDroppedAndCountedNotTheRow() {
            // openbmb/UltraFeedback rows; row 1 has one completion with "fine-grained_score": null,
            // row 2 three of four (one scored completion left: skipped)
            RecordStream<RankedList> s =
                    DataReader.open(
                            Samples.of("real/ultrafeedback.jsonl"),
                            UltraFeedbackRanked.defaults(),
                            ReadOptions.defaults());
            List<RankedList> lists = new ArrayList<>();
            s.forEachRemaining(lists::add);
            s.close();
            assertEquals(1, lists.size());
            assertArrayEquals(new double[] {4.75, 1.5, 2.0}, lists.get(0).scores());
            assertEquals(
                    new PlainText("The sky is blue because of the color of space."),
                    lists.get(0).responses().get(2));
            assertEquals(4, s.counters().completionsDroppedCount());
            assertTrue(
                    s.counters()
                            .completionsDroppedAt()
                            .get(0)
                            .contains("ultrafeedback.jsonl:1 completions[2].fine-grained_score"),
                    s.counters().completionsDroppedAt().toString());
            assertEquals(1, s.counters().skippedCount());
            assertTrue(s.counters().skippedAt().get(0).contains("1 scored completion(s) of 4"));
        }

        @Test
        void pairsComeFromTheScoredCompletions() {
            List<PreferencePair> pairs =
                    Samples.read("real/ultrafeedback.jsonl", UltraFeedbackPairs.allPairs());
            // 3 scored completions, distinct scores: 3 pairs
            assertEquals(3, pairs.size());
        }

        @Test
        void theOverallScoreHasNoNullsThereSoEveryCompletionIsRanked() {
            List<RankedList> lists =
                    Samples.read(
                            "real/ultrafeedback.jsonl",
                            new UltraFeedbackRanked(UltraFeedbackScore.OVERALL));
            assertEquals(2, lists.size());
            assertArrayEquals(new double[] {10.0, 6.0, 6.5, 1.0}, lists.get(1).scores());
        }
    }
}
