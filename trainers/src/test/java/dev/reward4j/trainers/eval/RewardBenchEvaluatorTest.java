package dev.reward4j.trainers.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reward4j.core.data.Message;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RewardBenchEvaluatorTest {

    @Nested
    class BatchSizeInvariance {
        @ParameterizedTest
        @ValueSource(strings = {"v1-small.jsonl", "v2-small.jsonl"})
        void givesIdenticalRowScoresAndResultsAtBatchSizes1And3And64(String file) {
            List<BenchRow> rows = BenchmarkReader.read(FakeScorers.resource(file));
            for (TextScorer scorer : List.of(new FakeScorers.Tagged(), new FakeScorers.Hashing())) {
                RewardBenchRun one =
                        RewardBenchEvaluator.evaluate(
                                rows, scorer, 1, null, SectionMap.official(), Map.of());
                for (int batch : new int[] {3, 64}) {
                    RewardBenchRun other =
                            RewardBenchEvaluator.evaluate(
                                    rows, scorer, batch, null, SectionMap.official(), Map.of());
                    for (int i = 0; i < rows.size(); i++) {
                        assertArrayEquals(one.rows().get(i).chosen(), other.rows().get(i).chosen());
                        assertArrayEquals(
                                one.rows().get(i).rejected(), other.rows().get(i).rejected());
                    }
                    assertEquals(one.result(), other.result(), "batch " + batch);
                }
            }
        }

        @Test
        void crossCheckIsZeroForAnInvariantScorerAndCatchesABatchDependentOne() {
            List<BenchRow> rows = BenchmarkReader.read(FakeScorers.resource("v2-small.jsonl"));
            assertEquals(
                    0.0,
                    RewardBenchEvaluator.maxBatchDeviation(rows, new FakeScorers.Hashing(), 7));
            // a scorer that leaks the batch size into every score (like reading a padding position
            // would)
            TextScorer leaky =
                    batch -> batch.stream().mapToDouble(r -> batch.size() * 0.5).toArray();
            assertEquals(
                    3.0, RewardBenchEvaluator.maxBatchDeviation(rows, leaky, 7)); // 7*0.5 - 1*0.5
        }

        @Test
        void callsTheScorerWithBatchesOfAtMostTheBatchSize() {
            List<BenchRow> rows = BenchmarkReader.read(FakeScorers.resource("v1-small.jsonl"));
            FakeScorers.Tagged scorer = new FakeScorers.Tagged();
            RewardBenchEvaluator.scoreRows(rows, scorer, 3);
            // 13 pairs = 26 completions -> 8 batches of 3 and one of 2
            assertEquals(List.of(3, 3, 3, 3, 3, 3, 3, 3, 2), scorer.batchSizes);
        }
    }

    @Nested
    class Requests {
        @Test
        void scoresEveryCompletionAloneAfterThePromptChosenFirst() {
            List<BenchRow> rows = BenchmarkReader.read(FakeScorers.resource("v1-small.jsonl"));
            List<ScoringRequest> req = RewardBenchEvaluator.requests(rows);
            assertEquals(26, req.size());
            assertEquals(
                    new ScoringRequest("1", 0, List.of(new Message("user", "Say hi.")), "Hi! #2"),
                    req.get(0));
            assertEquals(
                    new ScoringRequest("1", 1, List.of(new Message("user", "Say hi.")), "No. #1"),
                    req.get(1));
            ScoringRequest multiTurn = req.get(8);
            assertEquals("5", multiTurn.rowId());
            assertEquals(
                    List.of("user", "assistant", "user", "assistant"),
                    multiTurn.conversation().stream().map(Message::role).toList());
        }
    }

    @Nested
    class Output {
        @Test
        void detectsTheVersionAndWritesPerRowScoresAndTheResult(@TempDir Path dir)
                throws IOException {
            RewardBenchRun v1 =
                    RewardBenchEvaluator.evaluate(
                            FakeScorers.resource("v1-small.jsonl"),
                            new FakeScorers.Tagged(),
                            8,
                            Map.of("dtype", "float32"));
            assertEquals(BenchVersion.V1, v1.version());
            assertInstanceOf(V1Result.class, v1.result());
            Path result = v1.write(dir);

            List<String> lines = Files.readAllLines(dir.resolve(RewardBenchRun.SCORES_FILE));
            assertEquals(13, lines.size());
            assertEquals(
                    "{\"id\":\"1\",\"subset\":\"alpacaeval-easy\",\"chosen\":[2.0],\"rejected\":[1.0],"
                        + "\"correct\":true}",
                    lines.get(0));
            assertTrue(
                    lines.get(2).endsWith("\"correct\":false}"),
                    "a tie is not correct: " + lines.get(2));
            JsonNode json = new ObjectMapper().readTree(result.toFile());
            assertEquals("v1", json.get("version").asText());
            assertEquals(
                    (78.0 / 128 + 50.0 / 177 + 13.0 / 14) / 3,
                    json.get("overall").asDouble(),
                    1e-15);
            assertEquals(0.5, json.get("subsets").get("alpacaeval-easy").get("score").asDouble());
            assertEquals(13.0 / 14, json.get("sections").get("Reasoning").asDouble(), 1e-15);
            assertEquals("my-custom", json.get("unmapped_subsets").get(0).asText());
            assertEquals("float32", json.get("run").get("dtype").asText());
            assertEquals("8", json.get("run").get("batch_size").asText());

            RewardBenchRun v2 =
                    RewardBenchEvaluator.evaluate(
                            FakeScorers.resource("v2-small.jsonl"),
                            new FakeScorers.Tagged(),
                            8,
                            Map.of());
            assertEquals(BenchVersion.V2, v2.version());
            v2.write(dir.resolve("v2"));
            List<String> lines2 =
                    Files.readAllLines(dir.resolve("v2").resolve(RewardBenchRun.SCORES_FILE));
            assertTrue(lines2.get(1).endsWith("\"num_correct\":1,\"result\":0.5}"), lines2.get(1));
            assertTrue(
                    lines2.get(7).endsWith("\"num_correct\":3,\"margin\":1.0,\"spread\":2.0}"),
                    lines2.get(7));
            JsonNode json2 = v2.toJson();
            assertEquals(RewardBenchV2Test.TIES, json2.get("ties").get("score").asDouble(), 1e-15);
            assertTrue(json2.get("ties").has("prefHard"));
        }
    }
}
