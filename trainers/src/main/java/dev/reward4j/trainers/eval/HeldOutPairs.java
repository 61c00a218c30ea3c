package dev.reward4j.trainers.eval;

import dev.reward4j.core.data.Conversation;
import dev.reward4j.core.data.DataPipeline;
import dev.reward4j.core.data.DataReader;
import dev.reward4j.core.data.Format;
import dev.reward4j.core.data.Message;
import dev.reward4j.core.data.PlainText;
import dev.reward4j.core.data.PreferencePair;
import dev.reward4j.core.data.Prepared;
import dev.reward4j.core.data.ReadOptions;
import dev.reward4j.core.data.RecordStream;
import dev.reward4j.core.data.Text;
import dev.reward4j.core.text.DataCounters;
import dev.reward4j.core.util.Checks;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Evaluates a reward model (or a policy's implicit reward) on an ordinary held-out preference file read with any pair
 * {@link Format} (TRL, HH-RLHF, UltraFeedback, HelpSteer2-Preference, ...): every pair's chosen and rejected response
 * is scored alone after the prompt by a {@link TextScorer} (the RewardBench scoring path: {@link ModelTextScorer} /
 * {@link PolicyTextScorer}, chat template when the tokenizer has one, left truncation), batched by {@link
 * BatchedScorer}, and the scores are reported by {@link HeldOutEvaluator} (accuracy, preference NLL, reward and margin
 * moments, ECE). With a batch-invariant scorer the result is identical at any batch size.
 *
 * <p>Mapping of a pair to two {@link ScoringRequest}s: a plain-text prompt is one user turn, a conversation prompt its
 * messages; a plain-text response is the completion; a conversation response puts all but its last message after the
 * prompt and scores the last one, which must be an {@code assistant} message. A pair whose chosen equals its rejected
 * response, or with an empty response, is counted invalid (as the training tokenizer does) and not scored.
 */
public final class HeldOutPairs {
  private HeldOutPairs() {}

  /**
   * Reads every pair of {@code file} with {@code format}; the counters hold the rows read, pairs parsed and rows
   * skipped (lenient mode or skipped by definition). Bad rows fail with the file, line and field (core readers).
   */
  public static Prepared<PreferencePair> read(Path file, Format<PreferencePair> format, ReadOptions options) {
    List<PreferencePair> pairs = new ArrayList<>();
    DataCounters counters = DataPipeline.stream(file, format, options, DataPipeline.CHUNK, pairs::addAll);
    return new Prepared<>(pairs, counters);
  }

  /**
   * True when the first row of {@code file} has a {@code subset} field (a RewardBench-style row, see {@link
   * BenchmarkReader}); false for an empty file.
   */
  public static boolean looksLikeRewardBench(Path file) {
    Format<Boolean> hasSubset = (row, out) -> out.accept(row.has("subset"));
    try (RecordStream<Boolean> s = DataReader.open(file, hasSubset, ReadOptions.defaults().withMaxRows(1))) {
      return s.hasNext() && s.next();
    }
  }

  /** The two scoring requests of {@code pair}: chosen (completion index 0), then rejected (index 1). */
  public static List<ScoringRequest> requests(PreferencePair pair) {
    List<Turn> prompt = turns(pair.prompt());
    return List.of(request(pair, prompt, pair.chosen(), 0, "chosen"), request(pair, prompt, pair.rejected(), 1, "rejected"));
  }

  /**
   * Scores every valid pair with {@code scorer} in batches of {@code batchSize} requests and evaluates the scores.
   *
   * @param read the pairs and the reader's counters (from {@link #read})
   * @param runInfo provenance recorded with the result, asked for after scoring (so counts such as the scorer's
   *     {@code truncated} are final); {@code batch_size} is added, and its {@code truncated} entry (sequences cut by
   *     the scorer) becomes the {@code truncated} counter
   */
  public static HeldOutRun evaluate(Prepared<PreferencePair> read, TextScorer scorer, int batchSize,
      Supplier<Map<String, String>> runInfo) {
    DataCounters counters = new DataCounters();
    counters.add(read.counters());
    List<PreferencePair> valid = new ArrayList<>();
    List<ScoringRequest> requests = new ArrayList<>();
    for (PreferencePair p : read.examples()) {
      String invalid = invalidReason(p);
      if (invalid != null) {
        counters.invalid(p.source().toString(), invalid);
        continue;
      }
      valid.add(p);
      requests.addAll(requests(p));
    }
    Checks.argument(!valid.isEmpty(), () -> "held-out eval: no pair to score (" + counters.summary()
        + "); expected a file with at least one valid preference pair");
    double[] flat = new BatchedScorer(scorer, batchSize).score(requests);
    int n = valid.size();
    double[] chosen = new double[n];
    double[] rejected = new double[n];
    List<String> ids = new ArrayList<>(n);
    List<String> sources = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      chosen[i] = flat[2 * i];
      rejected[i] = flat[2 * i + 1];
      ids.add(valid.get(i).id());
      sources.add(valid.get(i).source().toString());
      counters.kept();
    }
    Map<String, String> info = new LinkedHashMap<>(runInfo.get());
    info.put("batch_size", Integer.toString(batchSize));
    return new HeldOutRun(ids, sources, HeldOutEvaluator.evaluate(chosen, rejected), counterMap(counters, info), info);
  }

  private static Map<String, Long> counterMap(DataCounters c, Map<String, String> info) {
    Map<String, Long> m = new LinkedHashMap<>();
    m.put("read", c.readCount());
    m.put("pairs", c.parsedCount());
    m.put("scored", c.keptCount());
    m.put("truncated", Long.parseLong(info.getOrDefault("truncated", "0")));
    m.put("dropped", c.droppedCount());
    m.put("invalid", c.invalidCount());
    m.put("skipped", c.skippedCount());
    return m;
  }

  private static String invalidReason(PreferencePair p) {
    if (p.chosen().isEmpty() || p.rejected().isEmpty()) {
      return "empty " + (p.chosen().isEmpty() ? "chosen" : "rejected") + " response";
    }
    return p.chosen().equals(p.rejected()) ? "chosen equals rejected" : null;
  }

  private static List<Turn> turns(Text prompt) {
    if (prompt instanceof PlainText t) {
      return List.of(Turn.user(t.text()));
    }
    return ((Conversation) prompt).messages().stream().map(m -> new Turn(m.role(), m.content())).toList();
  }

  private static ScoringRequest request(PreferencePair pair, List<Turn> prompt, Text response, int index, String field) {
    if (response instanceof PlainText t) {
      return new ScoringRequest(pair.id(), index, prompt, t.text());
    }
    List<Message> messages = ((Conversation) response).messages();
    Message last = messages.get(messages.size() - 1);
    if (!last.role().equals("assistant")) {
      throw new IllegalArgumentException("held-out eval: " + pair.source() + " field '" + field + "': the last message"
          + " has role '" + last.role() + "'; expected an assistant message to score");
    }
    List<Turn> context = new ArrayList<>(prompt);
    messages.subList(0, messages.size() - 1).forEach(m -> context.add(new Turn(m.role(), m.content())));
    return new ScoringRequest(pair.id(), index, context, last.content());
  }
}
