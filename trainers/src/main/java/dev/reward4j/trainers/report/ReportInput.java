package dev.reward4j.trainers.report;

import dev.reward4j.core.util.Checks;
import dev.reward4j.trainers.eval.HeldOutResult;
import dev.reward4j.trainers.metrics.MetricRecord;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * What a report shows. Build with {@link #of} and the withers.
 *
 * @param title page title
 * @param metrics records of the metrics JSONL file (curves); may be empty
 * @param heldOut held-out evaluation (reward histograms and reliability diagram), when available
 * @param finalMetrics the table of final metrics, in order
 * @param ceilingAccuracy the best achievable accuracy (e.g. the ground-truth ceiling of synthetic data), when known
 * @param runInfo free-form run facts (model, data, device, seed, wall time, ...) shown under the table
 */
public record ReportInput(String title, List<MetricRecord> metrics, Optional<HeldOutResult> heldOut,
    Map<String, Double> finalMetrics, OptionalDouble ceilingAccuracy, Map<String, String> runInfo) {
  /** Validates and copies. */
  public ReportInput {
    Checks.argument(title != null && !title.isBlank(), "report: title must not be blank");
    metrics = List.copyOf(metrics);
    finalMetrics = Collections.unmodifiableMap(new LinkedHashMap<>(finalMetrics));
    runInfo = Collections.unmodifiableMap(new LinkedHashMap<>(runInfo));
    ceilingAccuracy.ifPresent(c -> Checks.inClosedRange(c, 0, 1, "report: ceilingAccuracy"));
  }

  /** A report of {@code metrics} with nothing else. */
  public static ReportInput of(String title, List<MetricRecord> metrics) {
    return new ReportInput(title, metrics, Optional.empty(), Map.of(), OptionalDouble.empty(), Map.of());
  }

  /** With a held-out evaluation. */
  public ReportInput withHeldOut(HeldOutResult result) {
    return new ReportInput(title, metrics, Optional.of(result), finalMetrics, ceilingAccuracy, runInfo);
  }

  /** With the final metrics table. */
  public ReportInput withFinalMetrics(Map<String, Double> values) {
    return new ReportInput(title, metrics, heldOut, values, ceilingAccuracy, runInfo);
  }

  /** With the ceiling accuracy. */
  public ReportInput withCeilingAccuracy(double ceiling) {
    return new ReportInput(title, metrics, heldOut, finalMetrics, OptionalDouble.of(ceiling), runInfo);
  }

  /** With run facts. */
  public ReportInput withRunInfo(Map<String, String> info) {
    return new ReportInput(title, metrics, heldOut, finalMetrics, ceilingAccuracy, info);
  }
}
