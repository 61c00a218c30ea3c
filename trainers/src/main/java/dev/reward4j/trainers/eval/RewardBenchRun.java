package dev.reward4j.trainers.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A finished RewardBench-compatible evaluation: the per-row scores, the result and the run record.
 *
 * @param version scoring rules applied
 * @param rows per-row scores in file order
 * @param result per-subset scores, rollup and overall
 * @param runInfo provenance (dtype, tokenizer digest, template, truncation, batch size, model digest, ...)
 */
public record RewardBenchRun(BenchVersion version, List<RowScores> rows, RewardBenchResult result,
    Map<String, String> runInfo) {
  /** File name of the per-row scores. */
  public static final String SCORES_FILE = "rewardbench-scores.jsonl";
  /** File name of the result. */
  public static final String RESULT_FILE = "rewardbench-result.json";

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** Copies. */
  public RewardBenchRun {
    rows = List.copyOf(rows);
    runInfo = Collections.unmodifiableMap(new LinkedHashMap<>(runInfo));
  }

  /**
   * Writes {@value #SCORES_FILE} ({@code {"id","subset","chosen":[...],"rejected":[...]}} per row) and {@value
   * #RESULT_FILE} (run record, subsets, sections or ties detail, overall) into {@code dir}.
   *
   * @return the result file
   */
  public Path write(Path dir) {
    ObjectMapper lineMapper = new ObjectMapper();
    try {
      Files.createDirectories(dir);
      try (BufferedWriter out = Files.newBufferedWriter(dir.resolve(SCORES_FILE), StandardCharsets.UTF_8)) {
        for (RowScores r : rows) {
          ObjectNode n = lineMapper.createObjectNode();
          n.put("id", r.id());
          n.put("subset", r.subset());
          ArrayNode c = n.putArray("chosen");
          for (double v : r.chosen()) {
            c.add(v);
          }
          ArrayNode rj = n.putArray("rejected");
          for (double v : r.rejected()) {
            rj.add(v);
          }
          r.numCorrect().ifPresent(k -> n.put("num_correct", k));
          out.write(lineMapper.writeValueAsString(n));
          out.newLine();
        }
      }
      Path resultFile = dir.resolve(RESULT_FILE);
      JSON.writeValue(resultFile.toFile(), toJson());
      return resultFile;
    } catch (IOException e) {
      throw new UncheckedIOException("rewardbench: cannot write results to " + dir, e);
    }
  }

  /** The result as a JSON tree (what {@link #write} stores in {@value #RESULT_FILE}). */
  public ObjectNode toJson() {
    ObjectNode root = JSON.createObjectNode();
    root.put("version", version.name().toLowerCase(java.util.Locale.ROOT));
    root.put("overall", result.overall());
    ObjectNode subsets = root.putObject("subsets");
    for (SubsetScore s : result.subsets()) {
      ObjectNode n = subsets.putObject(s.subset());
      n.put("score", s.score());
      n.put("rows", s.rows());
    }
    if (result instanceof V1Result v1) {
      ObjectNode sections = root.putObject("sections");
      v1.sections().forEach(sections::put);
      ArrayNode unmapped = root.putArray("unmapped_subsets");
      v1.unmappedSubsets().forEach(unmapped::add);
    } else if (result instanceof V2Result v2) {
      v2.ties().ifPresent(t -> root.set("ties", JSON.valueToTree(t)));
    }
    ObjectNode info = root.putObject("run");
    runInfo.forEach(info::put);
    return root;
  }
}
