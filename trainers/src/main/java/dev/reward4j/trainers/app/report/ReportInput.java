package dev.reward4j.trainers.app.report;

import dev.reward4j.core.util.Checks;
import dev.reward4j.trainers.eval.HeldOutResult;
import dev.reward4j.trainers.metrics.MetricRecord;
import dev.reward4j.trainers.metrics.RunSummary;
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
 * @param ceilingAccuracy the best achievable accuracy (e.g. the ground-truth ceiling of synthetic
 *     data), when known
 * @param runInfo free-form run facts (model, data, device, seed, wall time, ...) shown under the
 *     table
 * @param hyperparameters the resolved configuration as flat {@code section.key -> value} entries
 *     (empty: no table)
 */
public record ReportInput(
        String title,
        List<MetricRecord> metrics,
        Optional<HeldOutResult> heldOut,
        Map<String, Double> finalMetrics,
        OptionalDouble ceilingAccuracy,
        Map<String, String> runInfo,
        Map<String, String> hyperparameters) {
    /** Validates and copies. */
    public ReportInput {
        Checks.argument(title != null && !title.isBlank(), "report: title must not be blank");
        metrics = List.copyOf(metrics);
        finalMetrics = Collections.unmodifiableMap(new LinkedHashMap<>(finalMetrics));
        runInfo = Collections.unmodifiableMap(new LinkedHashMap<>(runInfo));
        hyperparameters =
                Collections.unmodifiableMap(
                        new LinkedHashMap<>(hyperparameters == null ? Map.of() : hyperparameters));
        ceilingAccuracy.ifPresent(c -> Checks.inClosedRange(c, 0, 1, "report: ceilingAccuracy"));
    }

    /** An input without hyperparameters (the form before they were added). */
    public ReportInput(
            String title,
            List<MetricRecord> metrics,
            Optional<HeldOutResult> heldOut,
            Map<String, Double> finalMetrics,
            OptionalDouble ceilingAccuracy,
            Map<String, String> runInfo) {
        this(title, metrics, heldOut, finalMetrics, ceilingAccuracy, runInfo, Map.of());
    }

    /** A report of {@code metrics} with nothing else. */
    public static ReportInput of(String title, List<MetricRecord> metrics) {
        return new ReportInput(
                title, metrics, Optional.empty(), Map.of(), OptionalDouble.empty(), Map.of());
    }

    /**
     * A report of the metrics JSONL file written by {@code JsonlMetricSink}, each (phase, step)
     * once (see {@code MetricsLog.readDistinct}).
     */
    public static ReportInput fromMetricsFile(String title, java.nio.file.Path metricsJsonl) {
        return of(title, dev.reward4j.trainers.metrics.MetricsLog.readDistinct(metricsJsonl));
    }

    /**
     * With the resolved configuration as the hyperparameter table: every leaf of {@code config} as
     * {@code section.key -> value}.
     */
    public ReportInput withHyperparameters(com.fasterxml.jackson.databind.JsonNode config) {
        Map<String, String> flat = new LinkedHashMap<>();
        flatten("", config, flat);
        return new ReportInput(
                title, metrics, heldOut, finalMetrics, ceilingAccuracy, runInfo, flat);
    }

    private static void flatten(
            String prefix, com.fasterxml.jackson.databind.JsonNode n, Map<String, String> out) {
        if (n.isObject()) {
            n.fields()
                    .forEachRemaining(
                            e ->
                                    flatten(
                                            prefix.isEmpty()
                                                    ? e.getKey()
                                                    : prefix + "." + e.getKey(),
                                            e.getValue(),
                                            out));
        } else {
            out.put(prefix, n.isTextual() ? n.asText() : n.toString());
        }
    }

    /**
     * With the run summary: its final eval values (else final train values) become the final
     * metrics table, and its facts (steps, wall time, throughput, data counters) are added to the
     * run facts.
     */
    public ReportInput withSummary(RunSummary summary) {
        Map<String, String> info = new LinkedHashMap<>(runInfo);
        info.putAll(summary.facts());
        Map<String, Double> table = new LinkedHashMap<>(finalMetrics);
        (summary.finalEval().isEmpty() ? summary.finalTrain() : summary.finalEval())
                .forEach(table::putIfAbsent);
        return new ReportInput(
                title, metrics, heldOut, table, ceilingAccuracy, info, hyperparameters);
    }

    /** With a held-out evaluation. */
    public ReportInput withHeldOut(HeldOutResult result) {
        return new ReportInput(
                title,
                metrics,
                Optional.of(result),
                finalMetrics,
                ceilingAccuracy,
                runInfo,
                hyperparameters);
    }

    /** With the final metrics table. */
    public ReportInput withFinalMetrics(Map<String, Double> values) {
        return new ReportInput(
                title, metrics, heldOut, values, ceilingAccuracy, runInfo, hyperparameters);
    }

    /** With the ceiling accuracy. */
    public ReportInput withCeilingAccuracy(double ceiling) {
        return new ReportInput(
                title,
                metrics,
                heldOut,
                finalMetrics,
                OptionalDouble.of(ceiling),
                runInfo,
                hyperparameters);
    }

    /** With run facts. */
    public ReportInput withRunInfo(Map<String, String> info) {
        return new ReportInput(
                title, metrics, heldOut, finalMetrics, ceilingAccuracy, info, hyperparameters);
    }
}
