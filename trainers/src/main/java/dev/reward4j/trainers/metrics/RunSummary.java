package dev.reward4j.trainers.metrics;

import dev.reward4j.core.util.Checks;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What a run reports at the end: the last train and eval metrics, the best eval value of each
 * tracked metric, wall time, throughput and the data counters (truncated, dropped, invalid,
 * skipped, ...). Build one with {@link SummarySink#summarize}; print it with {@link #print} or
 * {@link #render}.
 *
 * @param steps last optimizer step recorded
 * @param finalTrain last train record's values
 * @param finalEval last eval record's values (empty without evaluation)
 * @param best best eval value of each tracked metric, with the step it was seen at
 * @param wallTime wall-clock time of the run
 * @param tokens real (non-padding) tokens processed
 * @param examples examples (pairs, lists, rows) processed
 * @param dataCounters data counters in a stable order, e.g. {@code truncated -> 3}
 */
public record RunSummary(
        long steps,
        Map<String, Double> finalTrain,
        Map<String, Double> finalEval,
        Map<String, Best> best,
        Duration wallTime,
        long tokens,
        long examples,
        Map<String, Long> dataCounters) {

    /**
     * A best value.
     *
     * @param value the best value
     * @param step the step it was recorded at
     */
    public record Best(double value, long step) {}

    /** Validates and copies the maps (order preserved). */
    public RunSummary {
        Checks.argument(
                tokens >= 0 && examples >= 0,
                () ->
                        "summary: tokens and examples must be >= 0 (got "
                                + tokens
                                + ", "
                                + examples
                                + ")");
        Checks.argument(
                wallTime != null && !wallTime.isNegative(),
                () -> "summary: wallTime must be >= 0 (got " + wallTime + ")");
        finalTrain = copy(finalTrain);
        finalEval = copy(finalEval);
        best = copy(best);
        dataCounters = copy(dataCounters);
    }

    private static <V> Map<String, V> copy(Map<String, V> m) {
        return Collections.unmodifiableMap(new LinkedHashMap<>(m));
    }

    /**
     * The counters of a data pipeline as the ordered map {@link RunSummary} reports: read, kept,
     * truncated (prompts, responses, EOS forced), dropped, invalid, identical after truncation,
     * tails kept, skipped, filtered (other splits), prompts extracted (from the conversations),
     * completions dropped.
     */
    public static Map<String, Long> counters(dev.reward4j.core.data.DataCounters c) {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("read", c.readCount());
        m.put("kept", c.keptCount());
        m.put("truncated", c.truncatedCount());
        m.put("prompts truncated", c.promptsTruncatedCount());
        m.put("responses truncated", c.responsesTruncatedCount());
        m.put("eos forced", c.eosForcedCount());
        m.put("dropped", c.droppedCount());
        m.put("invalid", c.invalidCount());
        m.put("identical after truncation", c.identicalAfterTruncationCount());
        m.put("tails kept", c.tailsKeptCount());
        m.put("skipped", c.skippedCount());
        m.put("filtered", c.filteredCount());
        m.put("prompts extracted", c.promptsExtractedCount());
        m.put("completions dropped", c.completionsDroppedCount());
        return m;
    }

    /** Real tokens per wall-clock second (0 for a zero wall time). */
    public double tokensPerSecond() {
        double s = wallTime.toNanos() / 1e9;
        return s == 0 ? 0 : tokens / s;
    }

    /** Examples per wall-clock second (0 for a zero wall time). */
    public double examplesPerSecond() {
        double s = wallTime.toNanos() / 1e9;
        return s == 0 ? 0 : examples / s;
    }

    /** A human-readable multi-line summary. */
    public String render() {
        StringBuilder sb = new StringBuilder();
        sb.append(
                String.format(
                        Locale.ROOT,
                        "Run summary: %d steps in %.1f s (%.0f tokens/s, %.1f examples/s)%n",
                        steps,
                        wallTime.toNanos() / 1e9,
                        tokensPerSecond(),
                        examplesPerSecond()));
        section(sb, "final train", finalTrain);
        section(sb, "final eval", finalEval);
        if (!best.isEmpty()) {
            sb.append("  best eval:\n");
            best.forEach(
                    (k, b) ->
                            sb.append(
                                    String.format(
                                            Locale.ROOT,
                                            "    %-28s %.6g (step %d)%n",
                                            k,
                                            b.value(),
                                            b.step())));
        }
        if (!dataCounters.isEmpty()) {
            sb.append("  data:\n");
            dataCounters.forEach(
                    (k, v) -> sb.append(String.format(Locale.ROOT, "    %-28s %d%n", k, v)));
        }
        return sb.toString();
    }

    private static void section(StringBuilder sb, String title, Map<String, Double> values) {
        if (values.isEmpty()) {
            return;
        }
        sb.append("  ").append(title).append(":\n");
        values.forEach((k, v) -> sb.append(String.format(Locale.ROOT, "    %-28s %.6g%n", k, v)));
    }

    /**
     * The summary as a flat, ordered map of run facts for reports: steps, wall time, throughput and
     * data counters (metric values are reported separately).
     */
    public Map<String, String> facts() {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("steps", Long.toString(steps));
        f.put("wall time (s)", String.format(Locale.ROOT, "%.1f", wallTime.toNanos() / 1e9));
        f.put("tokens/s", String.format(Locale.ROOT, "%.0f", tokensPerSecond()));
        f.put("examples/s", String.format(Locale.ROOT, "%.1f", examplesPerSecond()));
        dataCounters.forEach((k, v) -> f.put("data: " + k, Long.toString(v)));
        return f;
    }

    /** Prints {@link #render()} to {@code out}. */
    public void print(PrintStream out) {
        out.print(render());
        out.flush();
    }
}
