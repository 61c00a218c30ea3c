package dev.reward4j.trainers.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.reward4j.core.data.DataCounters;
import dev.reward4j.core.data.PaddingSide;
import dev.reward4j.core.data.PairCollator;
import dev.reward4j.core.data.ReadOptions;
import dev.reward4j.core.data.TokenizedPair;
import dev.reward4j.core.data.TrlFormat;
import dev.reward4j.core.pipeline.DataPipeline;
import dev.reward4j.core.pipeline.Prepared;
import dev.reward4j.core.testing.Fixtures;
import dev.reward4j.core.text.TextEncoder;
import dev.reward4j.core.text.TruncationPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HeldOutPairsTest {
    @TempDir Path dir;
    TextEncoder encoder;
    NDManager manager;
    PairCollator collator;

    /**
     * A fake reward: the sum of each row's attended token ids (rows never interact, exact in
     * float64).
     */
    static final PairRewards ID_SUM =
            b ->
                    b.inputIds()
                            .mul(b.attentionMask())
                            .sum(new int[] {1})
                            .toType(DataType.FLOAT64, false);

    @BeforeAll
    void open() {
        encoder = TextEncoder.load(Fixtures.hf("tokenizer"));
        manager = NDManager.newBaseManager();
        collator = new PairCollator(encoder.padding(PaddingSide.RIGHT));
    }

    @AfterAll
    void close() {
        manager.close();
        encoder.close();
    }

    static Path coreData(String name) {
        return Fixtures.hf().getParent().getParent().resolve("data").resolve(name);
    }

    /** {@code n} TRL pairs with prompts and responses of varied length. */
    Path trl(int n) throws IOException {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            lines.add(
                    "{\"id\": \"p"
                            + i
                            + "\", \"prompt\": \"question "
                            + i
                            + " "
                            + "why ".repeat(i % 4)
                            + "?\", "
                            + "\"chosen\": \""
                            + "good ".repeat(1 + i % 3)
                            + "answer\", \"rejected\": \""
                            + "bad ".repeat(1 + (i * 2) % 5)
                            + "\"}");
        }
        return Files.write(dir.resolve("pairs" + n + ".jsonl"), lines);
    }

    Prepared<TokenizedPair> tokenized(Path file, TruncationPolicy policy) {
        return DataPipeline.pairs(
                file, TrlFormat.standard(), encoder, policy, ReadOptions.defaults());
    }

    HeldOutRun evaluate(Prepared<TokenizedPair> pairs, int batchSize, Map<String, String> info) {
        return HeldOutPairs.evaluate(
                pairs, collator::collate, ID_SUM, manager, batchSize, () -> info);
    }

    static double idSum(int[] ids) {
        return Arrays.stream(ids).asDoubleStream().sum();
    }

    @Nested
    class Evaluate {
        @Test
        void scoresEveryPairByTheRewardsOfItsBatchRowsInFileOrder() throws IOException {
            Prepared<TokenizedPair> pairs = tokenized(trl(7), TruncationPolicy.defaults());
            HeldOutRun run = evaluate(pairs, 3, Map.of());
            double[] chosen =
                    pairs.examples().stream().mapToDouble(p -> idSum(p.chosen().ids())).toArray();
            double[] rejected =
                    pairs.examples().stream().mapToDouble(p -> idSum(p.rejected().ids())).toArray();
            assertArrayEquals(chosen, run.result().chosenScores());
            assertArrayEquals(rejected, run.result().rejectedScores());
            long correct =
                    java.util.stream.IntStream.range(0, 7)
                            .filter(i -> chosen[i] > rejected[i])
                            .count();
            assertTrue(
                    correct > 0 && correct < 7,
                    "the fake rewards should rank some pairs each way: " + correct);
            assertEquals(correct / 7.0, run.result().accuracy(), 1e-12);
            assertEquals(List.of("p0", "p1", "p2", "p3", "p4", "p5", "p6"), run.ids());
            assertTrue(run.sources().get(2).endsWith("pairs7.jsonl:3"), run.sources().toString());
            assertEquals("3", run.runInfo().get("batch_size"));
        }

        @Test
        void givesIdenticalScoresAndMetricsAtBatchSizes1And3And64() throws IOException {
            Prepared<TokenizedPair> pairs = tokenized(trl(7), TruncationPolicy.defaults());
            HeldOutRun one = evaluate(pairs, 1, Map.of());
            for (int batch : new int[] {3, 64}) {
                HeldOutRun other = evaluate(pairs, batch, Map.of());
                assertArrayEquals(one.result().chosenScores(), other.result().chosenScores());
                assertArrayEquals(one.result().rejectedScores(), other.result().rejectedScores());
                assertEquals(one.result().metrics(), other.result().metrics());
            }
        }

        @Test
        void reportsTheTokenizerCountersForInvalidTruncatedAndDroppedPairs() throws IOException {
            Path file =
                    Files.write(
                            dir.resolve("mixed.jsonl"),
                            List.of(
                                    "{\"prompt\": \"q?\", \"chosen\": \"yes\", \"rejected\":"
                                            + " \"no\"}",
                                    "{\"prompt\": \"q?\", \"chosen\": \"same\", \"rejected\":"
                                            + " \"same\"}",
                                    "{\"prompt\": \""
                                            + "tell me more ".repeat(20)
                                            + "\", \"chosen\": \"yes\", \"rejected\": \"no\"}"));
            HeldOutRun cut =
                    evaluate(
                            tokenized(file, new TruncationPolicy.KeepPromptEnd(24, 8, false)),
                            2,
                            Map.of());
            assertEquals(
                    Map.of(
                            "read",
                            3L,
                            "pairs",
                            3L,
                            "scored",
                            2L,
                            "truncated",
                            1L,
                            "dropped",
                            0L,
                            "invalid",
                            1L,
                            "skipped",
                            0L,
                            "filtered",
                            0L,
                            "prompts_extracted",
                            0L,
                            "completions_dropped",
                            0L),
                    cut.counters());
            assertEquals(2, cut.result().pairs());
            HeldOutRun drop = evaluate(tokenized(file, new TruncationPolicy.Drop(24)), 2, Map.of());
            assertEquals(
                    Map.of(
                            "read",
                            3L,
                            "pairs",
                            3L,
                            "scored",
                            1L,
                            "truncated",
                            0L,
                            "dropped",
                            1L,
                            "invalid",
                            1L,
                            "skipped",
                            0L,
                            "filtered",
                            0L,
                            "prompts_extracted",
                            0L,
                            "completions_dropped",
                            0L),
                    drop.counters());
            assertEquals(1, drop.result().pairs());
        }

        @Test
        void aFileWithoutAPairToScoreIsAnError() {
            IllegalArgumentException e =
                    assertThrows(
                            IllegalArgumentException.class,
                            () ->
                                    evaluate(
                                            new Prepared<>(List.of(), new DataCounters()),
                                            2,
                                            Map.of()));
            assertTrue(
                    e.getMessage().startsWith("held-out eval: no pair to score"), e.getMessage());
        }
    }

    @Nested
    class Detection {
        @Test
        void rewardBenchRowsHaveASubsetAndTrlRowsDoNot() throws IOException {
            assertTrue(HeldOutPairs.looksLikeRewardBench(coreData("rewardbench-v1.jsonl")));
            assertTrue(HeldOutPairs.looksLikeRewardBench(coreData("rewardbench-v2.jsonl")));
            assertFalse(HeldOutPairs.looksLikeRewardBench(coreData("trl-standard.jsonl")));
            Path empty = Files.writeString(dir.resolve("empty.jsonl"), "");
            assertFalse(HeldOutPairs.looksLikeRewardBench(empty));
        }
    }

    @Nested
    class Output {
        @Test
        void writesOneScoreLinePerPairAndTheResultWithCountersAndRunRecord() throws IOException {
            Prepared<TokenizedPair> pairs = tokenized(trl(2), TruncationPolicy.defaults());
            HeldOutRun run = evaluate(pairs, 2, Map.of("tokenizer_digest", "sha256:x"));
            Path result = run.write(dir.resolve("out"));
            List<String> lines =
                    Files.readAllLines(dir.resolve("out").resolve(HeldOutRun.SCORES_FILE));
            assertEquals(2, lines.size());
            var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
            for (int i = 0; i < 2; i++) {
                var line = mapper.readTree(lines.get(i));
                TokenizedPair p = pairs.examples().get(i);
                assertEquals(p.id(), line.get("id").asText());
                assertEquals(p.source().toString(), line.get("source").asText());
                assertEquals(idSum(p.chosen().ids()), line.get("chosen").asDouble());
                assertEquals(idSum(p.rejected().ids()), line.get("rejected").asDouble());
                assertEquals(
                        idSum(p.chosen().ids()) > idSum(p.rejected().ids()),
                        line.get("correct").asBoolean());
            }
            var json = mapper.readTree(result.toFile());
            assertEquals(2, json.get("pairs").asInt());
            assertEquals(
                    run.result().accuracy(),
                    json.path("metrics").path("rewards/accuracies").asDouble());
            assertTrue(json.path("metrics").path("ece").isNumber(), json.toString());
            assertEquals("sha256:x", json.path("run").path("tokenizer_digest").asText());
            assertEquals("2", json.path("run").path("batch_size").asText());
            for (String k : List.of("truncated", "dropped", "invalid", "skipped")) {
                assertTrue(json.path("counters").path(k).isNumber(), k + " in " + json);
            }
        }
    }
}
