package dev.reward4j.trainers.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import dev.reward4j.core.data.Conversation;
import dev.reward4j.core.data.Message;
import dev.reward4j.core.data.PlainText;
import dev.reward4j.core.data.TokenizedSequence;
import dev.reward4j.core.testing.Fixtures;
import dev.reward4j.core.text.TextEncoder;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class PolicyTextScorerTest {
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

    /** A unigram stand-in LM: log p(token t) = -w * id[t] for t >= 1, 0 at t = 0. */
    static TokenLogpsModel unigram(float w) {
        return (ids, mask) -> {
            NDArray v =
                    ids.toType(DataType.FLOAT32, false)
                            .mul(-w)
                            .mul(mask.toType(DataType.FLOAT32, false));
            v.set(new NDIndex(":, 0"), 0f);
            return v;
        };
    }

    static final ScoringRequest REQUEST =
            new ScoringRequest("1", 0, List.of(new Message("user", "What is 2+2?")), "It is 4.");

    /** Sum of the completion-token ids of REQUEST, and their number. */
    static double[] responseIdSumAndCount() {
        TokenizedSequence s =
                encoder.encode(
                        new Conversation(REQUEST.promptMessages()),
                        new PlainText(REQUEST.completion()));
        return new double[] {Arrays.stream(s.responseIds()).sum(), s.responseLength()};
    }

    @Nested
    class Rewards {
        @Test
        void logRatioSumsPolicyMinusReferenceOverCompletionTokensOnly() {
            // policy -0.1 * id, reference -0.04 * id: reward = -0.06 * sum(completion ids)
            double[] sc = responseIdSumAndCount();
            PolicyTextScorer s =
                    new PolicyTextScorer(
                            encoder,
                            unigram(0.1f),
                            unigram(0.04f),
                            new ImplicitReward.LogRatio(),
                            manager,
                            256);
            assertEquals(-0.06 * sc[0], s.score(List.of(REQUEST))[0], 1e-3);
        }

        @Test
        void referenceFreeSumAndMean() {
            double[] sc = responseIdSumAndCount();
            PolicyTextScorer sum =
                    new PolicyTextScorer(
                            encoder,
                            unigram(0.1f),
                            null,
                            new ImplicitReward.PolicySum(),
                            manager,
                            256);
            PolicyTextScorer mean =
                    new PolicyTextScorer(
                            encoder,
                            unigram(0.1f),
                            null,
                            new ImplicitReward.PolicyMean(),
                            manager,
                            256);
            assertEquals(-0.1 * sc[0], sum.score(List.of(REQUEST))[0], 1e-3);
            assertEquals(-0.1 * sc[0] / sc[1], mean.score(List.of(REQUEST))[0], 1e-4);
        }

        @Test
        void logRatioWithoutAReferenceIsAnError() {
            assertThrows(
                    IllegalArgumentException.class,
                    () ->
                            new PolicyTextScorer(
                                    encoder,
                                    unigram(0.1f),
                                    null,
                                    new ImplicitReward.LogRatio(),
                                    manager,
                                    256));
        }
    }

    @Nested
    class BatchSizeInvariance {
        @Test
        void givesTheSameScoresAtBatchSizes1And3And64() {
            List<ScoringRequest> req =
                    RewardBenchEvaluator.requests(
                            BenchmarkReader.read(FakeScorers.resource("v2-small.jsonl")));
            PolicyTextScorer s =
                    new PolicyTextScorer(
                            encoder,
                            unigram(0.1f),
                            unigram(0.04f),
                            new ImplicitReward.LogRatio(),
                            manager,
                            256);
            double[] one = new BatchedScorer(s, 1).score(req);
            assertArrayEquals(one, new BatchedScorer(s, 3).score(req), 1e-4);
            assertArrayEquals(one, new BatchedScorer(s, 64).score(req), 1e-4);
        }
    }
}
