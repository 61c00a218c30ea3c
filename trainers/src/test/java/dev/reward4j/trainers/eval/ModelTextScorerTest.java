package dev.reward4j.trainers.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.reward4j.core.data.Conversation;
import dev.reward4j.core.data.Message;
import dev.reward4j.core.data.PlainText;
import dev.reward4j.core.testing.Fixtures;
import dev.reward4j.core.text.TextEncoder;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class ModelTextScorerTest {
    static NDManager manager;
    static TextEncoder encoder;

    @BeforeAll
    static void setUp() {
        manager = NDManager.newBaseManager();
        encoder = TextEncoder.load(Fixtures.hf("tokenizer"));
    }

    @AfterAll
    static void tearDown() {
        encoder.close();
        manager.close();
    }

    /**
     * A stand-in reward model with the contract of {@code DecoderModel.scores}: reads the token at
     * the last position with mask 1 (index from the mask, never from pad ids) plus a small sum over
     * real tokens, so any padding leak or a wrong last index changes the score.
     */
    static final ScoreForward LAST_TOKEN_MODEL =
            (ids, mask) -> {
                NDArray last = mask.sum(new int[] {1}).sub(1).reshape(-1, 1);
                NDArray lastIds = ids.gather(last, 1).reshape(-1).toType(DataType.FLOAT32, false);
                NDArray total = ids.mul(mask).sum(new int[] {1}).toType(DataType.FLOAT32, false);
                return lastIds.mul(0.01f).add(total.mul(1e-4f)).reshape(-1, 1);
            };

    @Nested
    class Encoding {
        @Test
        void encodesPromptAndCompletionWithTheChatTemplateLikeTheEncoder() {
            ModelTextScorer s = new ModelTextScorer(encoder, LAST_TOKEN_MODEL, manager, 256, 0);
            ScoringRequest r =
                    new ScoringRequest(
                            "1", 0, List.of(new Message("user", "What is 2+2?")), "It is 4.");
            int[] expected =
                    encoder.encode(new Conversation(r.promptMessages()), new PlainText("It is 4."))
                            .ids();
            assertArrayEquals(expected, s.encode(r));
            assertEquals(0, s.truncatedCount());
        }

        @Test
        void truncatesFromTheLeftKeepingTheCompletionEnd() {
            ModelTextScorer s = new ModelTextScorer(encoder, LAST_TOKEN_MODEL, manager, 5, 0);
            ScoringRequest r =
                    new ScoringRequest(
                            "1",
                            0,
                            List.of(new Message("user", "a long prompt with many words")),
                            "and a long answer too");
            int[] full =
                    new ModelTextScorer(encoder, LAST_TOKEN_MODEL, manager, 10_000, 0).encode(r);
            int[] cut = s.encode(r);
            assertTrue(full.length > 5);
            assertArrayEquals(Arrays.copyOfRange(full, full.length - 5, full.length), cut);
            assertEquals(1, s.truncatedCount());
            Map<String, String> info = s.runInfo();
            assertEquals("left", info.get("truncation_side"));
            assertEquals("5", info.get("max_length"));
            assertEquals("1", info.get("truncated"));
            assertTrue(info.get("tokenizer_digest").startsWith("sha256:"), info.toString());
        }
    }

    @Nested
    class BatchSizeInvariance {
        @Test
        void
                rightPaddingWithMaskDerivedLastIndexGivesTheSameRewardBenchResultAtBatchSizes1And3And64() {
            List<BenchRow> rows = BenchmarkReader.read(FakeScorers.resource("v1-small.jsonl"));
            ModelTextScorer scorer =
                    new ModelTextScorer(encoder, LAST_TOKEN_MODEL, manager, 256, 0);
            RewardBenchRun one =
                    RewardBenchEvaluator.evaluate(
                            rows, scorer, 1, null, SectionMap.official(), Map.of());
            for (int batch : new int[] {3, 64}) {
                RewardBenchRun other =
                        RewardBenchEvaluator.evaluate(
                                rows, scorer, batch, null, SectionMap.official(), Map.of());
                for (int i = 0; i < rows.size(); i++) {
                    assertArrayEquals(
                            one.rows().get(i).chosen(), other.rows().get(i).chosen(), 1e-6);
                    assertArrayEquals(
                            one.rows().get(i).rejected(), other.rows().get(i).rejected(), 1e-6);
                }
                assertEquals(one.result(), other.result());
            }
            // the scores really vary across completions (the invariance is not vacuous)
            assertTrue(one.rows().stream().mapToDouble(r -> r.chosen()[0]).distinct().count() > 5);
        }
    }
}
