package dev.reward4j.trainers.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.reward4j.core.data.Conversation;
import dev.reward4j.core.data.Message;
import dev.reward4j.core.data.PlainText;
import dev.reward4j.core.data.PreferencePair;
import dev.reward4j.core.data.Prepared;
import dev.reward4j.core.data.ReadOptions;
import dev.reward4j.core.data.Source;
import dev.reward4j.core.data.TrlFormat;
import dev.reward4j.core.testing.Fixtures;
import dev.reward4j.core.text.DataCounters;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HeldOutPairsTest {
  @TempDir Path dir;

  static Path coreData(String name) {
    return Fixtures.hf().getParent().getParent().resolve("data").resolve(name);
  }

  static PreferencePair pair(String id, String chosen, String rejected) {
    return PreferencePair.of(id, new PlainText("q " + id), new PlainText(chosen), new PlainText(rejected),
        new Source("f.jsonl", 1));
  }

  static Prepared<PreferencePair> prepared(List<PreferencePair> pairs) {
    return new Prepared<>(pairs, new DataCounters());
  }

  @Nested
  class Requests {
    @Test
    void aPlainPairIsAUserTurnAndTwoCompletionsChosenFirst() {
      List<ScoringRequest> r = HeldOutPairs.requests(pair("a", "yes", "no"));
      assertEquals(List.of(new Turn("user", "q a")), r.get(0).prompt());
      assertEquals("yes", r.get(0).completion());
      assertEquals(0, r.get(0).completionIndex());
      assertEquals("no", r.get(1).completion());
      assertEquals(1, r.get(1).completionIndex());
      assertEquals("a", r.get(1).rowId());
    }

    @Test
    void aConversationResponseScoresItsLastAssistantMessageAfterTheEarlierOnes() {
      PreferencePair p = PreferencePair.of("c", Conversation.of(new Message("system", "s"), new Message("user", "u")),
          Conversation.of(new Message("assistant", "a1"), new Message("user", "u2"), new Message("assistant", "good")),
          Conversation.of(new Message("assistant", "bad")), new Source("f.jsonl", 3));
      List<ScoringRequest> r = HeldOutPairs.requests(p);
      assertEquals(List.of(new Turn("system", "s"), new Turn("user", "u"), new Turn("assistant", "a1"),
          new Turn("user", "u2")), r.get(0).prompt());
      assertEquals("good", r.get(0).completion());
      assertEquals(List.of(new Turn("system", "s"), new Turn("user", "u")), r.get(1).prompt());
      assertEquals("bad", r.get(1).completion());
    }

    @Test
    void aResponseNotEndingWithAnAssistantMessageIsAnErrorNamingTheLineAndField() {
      PreferencePair p = PreferencePair.of("c", new PlainText("q"), Conversation.of(new Message("user", "hm")),
          new PlainText("x"), new Source("f.jsonl", 7));
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HeldOutPairs.requests(p));
      assertTrue(e.getMessage().contains("f.jsonl:7") && e.getMessage().contains("field 'chosen'"), e.getMessage());
    }
  }

  @Nested
  class Evaluate {
    final FakeScorers.Tagged tagged = new FakeScorers.Tagged();

    @Test
    void scoresEveryPairAndReportsAccuracyFromTheScores() {
      List<PreferencePair> pairs = List.of(pair("1", "a #2", "b #1"), pair("2", "a #0", "b #3"), pair("3", "a #5", "b #4"),
          pair("4", "a #1", "b #1"));
      HeldOutRun run = HeldOutPairs.evaluate(prepared(pairs), tagged, 3, Map::of);
      assertArrayEquals(new double[] {2, 0, 5, 1}, run.result().chosenScores());
      assertArrayEquals(new double[] {1, 3, 4, 1}, run.result().rejectedScores());
      assertEquals(0.5, run.result().accuracy()); // the tie counts as wrong
      assertEquals(List.of("1", "2", "3", "4"), run.ids());
      assertEquals(List.of(3, 3, 2), tagged.batchSizes); // 8 requests in batches of 3
      assertEquals("3", run.runInfo().get("batch_size"));
    }

    @Test
    void givesIdenticalScoresAndMetricsAtBatchSizes1And3And64() throws IOException {
      Prepared<PreferencePair> read =
          HeldOutPairs.read(coreData("trl-standard.jsonl"), TrlFormat.standard(), ReadOptions.defaults());
      FakeScorers.Hashing hashing = new FakeScorers.Hashing();
      HeldOutRun one = HeldOutPairs.evaluate(read, hashing, 1, Map::of);
      for (int batch : new int[] {3, 64}) {
        HeldOutRun other = HeldOutPairs.evaluate(read, hashing, batch, Map::of);
        assertArrayEquals(one.result().chosenScores(), other.result().chosenScores());
        assertArrayEquals(one.result().rejectedScores(), other.result().rejectedScores());
        assertEquals(one.result().metrics(), other.result().metrics());
      }
    }

    @Test
    void countsPairsWithEqualOrEmptyResponsesAsInvalidAndDoesNotScoreThem() {
      List<PreferencePair> pairs = List.of(pair("1", "a #2", "b #1"), pair("2", "same #1", "same #1"), pair("3", "", "b #1"));
      HeldOutRun run = HeldOutPairs.evaluate(prepared(pairs), tagged, 4, () -> Map.of("truncated", "5"));
      assertEquals(1, run.result().pairs());
      assertEquals(2L, run.counters().get("invalid"));
      assertEquals(1L, run.counters().get("scored"));
      assertEquals(5L, run.counters().get("truncated")); // the scorer's truncated sequences
      assertEquals(0L, run.counters().get("dropped"));
    }

    @Test
    void aFileWithoutAValidPairIsAnError() {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> HeldOutPairs.evaluate(prepared(List.of(pair("1", "x", "x"))), tagged, 2, Map::of));
      assertTrue(e.getMessage().startsWith("held-out eval: no pair to score"), e.getMessage());
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
      List<PreferencePair> pairs = List.of(pair("1", "a #2", "b #1"), pair("2", "a #0", "b #3"));
      HeldOutRun run = HeldOutPairs.evaluate(prepared(pairs), new FakeScorers.Tagged(), 2,
          () -> Map.of("tokenizer_digest", "sha256:x"));
      Path result = run.write(dir.resolve("out"));
      List<String> lines = Files.readAllLines(dir.resolve("out").resolve(HeldOutRun.SCORES_FILE));
      assertEquals(2, lines.size());
      var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
      var first = mapper.readTree(lines.get(0));
      assertEquals("1", first.get("id").asText());
      assertEquals(2.0, first.get("chosen").asDouble());
      assertEquals(1.0, first.get("rejected").asDouble());
      assertTrue(first.get("correct").asBoolean());
      assertFalse(mapper.readTree(lines.get(1)).get("correct").asBoolean());
      var json = mapper.readTree(result.toFile());
      assertEquals(2, json.get("pairs").asInt());
      assertEquals(0.5, json.path("metrics").path("accuracy").asDouble());
      assertTrue(json.path("metrics").path("ece").isNumber(), json.toString());
      assertEquals("sha256:x", json.path("run").path("tokenizer_digest").asText());
      assertEquals("2", json.path("run").path("batch_size").asText());
      for (String k : List.of("truncated", "dropped", "invalid", "skipped")) {
        assertTrue(json.path("counters").path(k).isNumber(), k + " in " + json);
      }
    }
  }
}
