package dev.reward4j.trainers.metrics;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code summary.json}: one schema for what {@code train}, {@code demo} and {@code eval} report at
 * the end, with snake_case keys, non-finite values as {@code null} and paths relative to the
 * directory holding the file:
 *
 * <pre>{@code
 * {"schema": "reward4j.summary/1", "command": "train", "status": "finished", "run_name": "rm",
 *  "steps": 2000, "max_steps": 2000, "wall_time_s": 812.4, "tokens_per_s": 9120.5,
 *  "examples_per_s": 78.1,
 *  "train": {"loss": 0.41, ...}, "eval": {"loss": 0.52, "rewards/accuracies": 0.74, ...},
 *  "best": {"rewards/accuracies": {"value": 0.75, "step": 1800}, ...},
 *  "data": {"read": 1000, "kept": 990, ...},
 *  "files": {"model": "final", "report": "report/report.html", "metrics": "metrics.jsonl"},
 *  "facts": {"device": "cpu", ...}, "created_at": "2026-12-05T10:00:00Z"}
 * }</pre>
 *
 * @param schema {@value #SCHEMA}
 * @param command {@code train}, {@code demo} or {@code eval}
 * @param status {@value #FINISHED} or {@value #INTERRUPTED} (stopped by a signal; resumable)
 * @param runName the run's name
 * @param steps last optimizer step (0 for {@code eval})
 * @param maxSteps the steps the run was configured for (0 for {@code eval})
 * @param wallTimeS wall time of the session that wrote the file, seconds
 * @param tokensPerS real tokens per second in that session
 * @param examplesPerS examples per second in that session
 * @param train last training metrics
 * @param eval last held-out metrics
 * @param best best held-out value of each tracked metric with its step
 * @param data data counters
 * @param files the run's outputs, relative to the file's directory
 * @param facts other facts (device, seed, model, ...)
 * @param createdAt ISO-8601 time of writing
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.ALWAYS)
public record SummaryFile(
        String schema,
        String command,
        String status,
        String runName,
        long steps,
        long maxSteps,
        Double wallTimeS,
        Double tokensPerS,
        Double examplesPerS,
        Map<String, Double> train,
        Map<String, Double> eval,
        Map<String, RunSummary.Best> best,
        Map<String, Long> data,
        Map<String, String> files,
        Map<String, String> facts,
        String createdAt) {
    /** The schema name. */
    public static final String SCHEMA = "reward4j.summary/1";

    /** File name. */
    public static final String FILE = "summary.json";

    /** Status of a run that reached its last step (or an evaluation that completed). */
    public static final String FINISHED = "finished";

    /** Status of a run stopped early by a signal; it resumes from its last checkpoint. */
    public static final String INTERRUPTED = "interrupted";

    private static final ObjectMapper JSON =
            new ObjectMapper()
                    .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                    .enable(SerializationFeature.INDENT_OUTPUT);

    /** Copies the maps; non-finite values become null (JSON has no NaN). */
    public SummaryFile {
        train = finite(train);
        eval = finite(eval);
        best = copy(best);
        data = copy(data);
        files = copy(files);
        facts = copy(facts);
        wallTimeS = finite(wallTimeS);
        tokensPerS = finite(tokensPerS);
        examplesPerS = finite(examplesPerS);
    }

    private static Double finite(Double v) {
        return v == null || !Double.isFinite(v) ? null : v;
    }

    private static Map<String, Double> finite(Map<String, Double> m) {
        Map<String, Double> out = new LinkedHashMap<>();
        if (m != null) {
            m.forEach((k, v) -> out.put(k, finite(v)));
        }
        return Collections.unmodifiableMap(out);
    }

    private static <V> Map<String, V> copy(Map<String, V> m) {
        return m == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(m));
    }

    /**
     * The summary of a training session ({@code train} or {@code demo}).
     *
     * @param command {@code train} or {@code demo}
     * @param status {@link #FINISHED} or {@link #INTERRUPTED}
     * @param runName the run's name
     * @param summary what the run recorded
     * @param maxSteps the configured steps
     * @param files the run's outputs, relative to the run directory
     * @param facts other facts
     */
    public static SummaryFile of(
            String command,
            String status,
            String runName,
            RunSummary summary,
            long maxSteps,
            Map<String, String> files,
            Map<String, String> facts) {
        return new SummaryFile(
                SCHEMA,
                command,
                status,
                runName,
                summary.steps(),
                maxSteps,
                summary.wallTime().toNanos() / 1e9,
                summary.tokensPerSecond(),
                summary.examplesPerSecond(),
                summary.finalTrain(),
                summary.finalEval(),
                summary.best(),
                summary.dataCounters(),
                files,
                facts,
                Instant.now().toString());
    }

    /** This summary with one more output file ({@code key -> path relative to its directory}). */
    public SummaryFile withFile(String key, String path) {
        Map<String, String> f = new LinkedHashMap<>(files);
        f.put(key, path);
        return new SummaryFile(
                schema,
                command,
                status,
                runName,
                steps,
                maxSteps,
                wallTimeS,
                tokensPerS,
                examplesPerS,
                train,
                eval,
                best,
                data,
                f,
                facts,
                createdAt);
    }

    /** Whether the status is {@link #FINISHED}. */
    public boolean finished() {
        return FINISHED.equals(status);
    }

    /** Writes {@code dir/summary.json} atomically (a temporary file, then a rename). */
    public Path write(Path dir) {
        Path file = dir.resolve(FILE);
        try {
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, ".tmp-summary-", ".json");
            try {
                JSON.writeValue(tmp.toFile(), this);
                Files.move(
                        tmp,
                        file,
                        StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(tmp);
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("summary: cannot write " + file, e);
        }
    }

    /** Reads {@code dir/summary.json}; empty when there is none or it is not this schema. */
    public static Optional<SummaryFile> read(Path dir) {
        Path file = dir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            SummaryFile s = JSON.readValue(file.toFile(), SummaryFile.class);
            return SCHEMA.equals(s.schema()) ? Optional.of(s) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty(); // an older demo summary or a damaged file: not a finished run
        }
    }
}
