package dev.reward4j.trainers.app.experiment;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.reward4j.trainers.experiment.ExperimentResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The outcome of one {@link ExperimentLauncher} run.
 *
 * @param device the launcher's {@code --device} override, else the devices the experiments used
 *     (comma-separated)
 * @param startedAt ISO-8601 start time
 * @param durationMillis wall time of the whole run
 * @param succeeded number of successful experiments
 * @param failed number of failed experiments
 * @param aborted number of aborted experiments (assumption failures)
 * @param skipped number of disabled experiments
 * @param experiments one result per test method, in execution order
 * @param errors failures outside test methods (class setup, discovery), one message each
 */
public record ExperimentSummary(
        String device,
        String startedAt,
        long durationMillis,
        int succeeded,
        int failed,
        int aborted,
        int skipped,
        List<ExperimentResult> experiments,
        List<String> errors) {
    /** Reads and writes {@code summary.json} and the experiments\' {@code result.json}. */
    static final com.fasterxml.jackson.databind.ObjectMapper JSON =
            new com.fasterxml.jackson.databind.ObjectMapper()
                    .enable(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT);

    /** Copies the lists. */
    public ExperimentSummary {
        experiments = List.copyOf(experiments);
        errors = List.copyOf(errors);
    }

    /** True when at least one experiment ran and nothing failed. */
    @JsonProperty("successful")
    public boolean successful() {
        return failed == 0 && errors.isEmpty() && succeeded > 0;
    }

    /** Writes {@code summary.json} and {@code summary.md} into {@code dir}. */
    public void write(Path dir) {
        try {
            Files.createDirectories(dir);
            ExperimentSummary.JSON.writeValue(dir.resolve("summary.json").toFile(), this);
            Files.writeString(dir.resolve("summary.md"), markdown(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "ExperimentLauncher: cannot write the summary into " + dir, e);
        }
    }

    /**
     * A markdown report: totals, one table row per experiment with its metrics, then failure
     * messages.
     */
    public String markdown() {
        StringBuilder md = new StringBuilder("# Experiment summary\n\n");
        md.append(
                String.format(
                        Locale.ROOT,
                        "- result: **%s**%n- device: `%s`%n- started: %s, took %.1f s%n",
                        successful() ? "PASSED" : "FAILED",
                        device,
                        startedAt,
                        durationMillis / 1000.0));
        md.append(
                String.format(
                        Locale.ROOT,
                        "- experiments: %d succeeded, %d failed, %d aborted, %d skipped%n%n",
                        succeeded,
                        failed,
                        aborted,
                        skipped));
        md.append(
                "| experiment | status | seed | time (s) | metrics | artifacts |\n"
                        + "|---|---|---|---|---|---|\n");
        for (ExperimentResult r : experiments) {
            StringBuilder m = new StringBuilder();
            for (Map.Entry<String, Double> e : r.metrics().entrySet()) {
                m.append(m.length() == 0 ? "" : ", ")
                        .append(e.getKey())
                        .append('=')
                        .append(String.format(Locale.ROOT, "%.4g", e.getValue()));
            }
            md.append(
                    String.format(
                            Locale.ROOT,
                            "| %s | %s | %d | %.2f | %s | %d |%n",
                            r.id(),
                            r.status(),
                            r.seed(),
                            r.durationMillis() / 1000.0,
                            m,
                            r.artifacts().size()));
        }
        boolean header = false;
        for (ExperimentResult r : experiments) {
            if (r.failure() != null) {
                md.append(header ? "" : "\n## Failures\n\n");
                header = true;
                md.append("- `")
                        .append(r.id())
                        .append("`: ")
                        .append(r.failure().replace('\n', ' '))
                        .append('\n');
            }
        }
        for (String e : errors) {
            md.append(header ? "" : "\n## Failures\n\n");
            header = true;
            md.append("- ").append(e.replace('\n', ' ')).append('\n');
        }
        return md.toString();
    }
}
