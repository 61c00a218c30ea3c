package dev.reward4j.trainers.metrics;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes one JSON object per record to a JSONL file and flushes after each line, so a crashed run
 * keeps every logged step:
 *
 * <pre>{"phase":"train","step":10,"time":3.52,"values":{"loss":0.61,"accuracy":0.7}}</pre>
 *
 * <p>{@code time} is seconds since the run started (a resumed run continues from its last kept
 * record). Non-finite values are written as {@code null} (JSON has no NaN) and read back as NaN by
 * {@link MetricsLog#read}. The file is created (parent directories too), extended, or, when a run
 * resumes from a checkpoint, first cut back to that checkpoint's step ({@link #resume}), so every
 * (phase, step) is in the file once.
 */
public final class JsonlMetricSink implements MetricSink {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path file;
    private final BufferedWriter out;
    private final long startNanos = System.nanoTime();
    private final double timeOffset;
    private final List<MetricRecord> history;

    private JsonlMetricSink(Path file, boolean append) {
        this(file, append, 0, List.of());
    }

    private JsonlMetricSink(
            Path file, boolean append, double timeOffset, List<MetricRecord> history) {
        this.file = file;
        this.timeOffset = timeOffset;
        this.history = List.copyOf(history);
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            this.out =
                    Files.newBufferedWriter(
                            file,
                            StandardCharsets.UTF_8,
                            StandardOpenOption.CREATE,
                            append
                                    ? StandardOpenOption.APPEND
                                    : StandardOpenOption.TRUNCATE_EXISTING,
                            StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException("metrics: cannot open " + file + " for writing", e);
        }
    }

    /** Opens {@code file}, replacing an existing file. */
    public static JsonlMetricSink create(Path file) {
        return new JsonlMetricSink(file, false);
    }

    /** Opens {@code file}, appending to an existing file (resume). */
    public static JsonlMetricSink append(Path file) {
        return new JsonlMetricSink(file, true);
    }

    /**
     * Opens {@code file} for a run resumed from the checkpoint of {@code step}: the records of
     * later steps (written after that checkpoint, and about to be logged again) are removed, as is
     * all but the last copy of a (phase, step) that an earlier version wrote twice, and a last line
     * cut off by a killed process; then the file is extended. The file is rewritten atomically
     * (temporary file, rename). {@link #history()} returns the kept records.
     */
    public static JsonlMetricSink resume(Path file, long step) {
        List<String> kept = new ArrayList<>();
        List<MetricRecord> records = new ArrayList<>();
        double lastTime = 0;
        if (Files.isRegularFile(file)) {
            List<String> lines;
            try {
                lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("metrics: cannot read " + file, e);
            }
            Map<String, Integer> at = new LinkedHashMap<>(); // (phase, step) -> index in kept
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                if (line.isBlank()) {
                    continue;
                }
                MetricRecord r;
                try {
                    r = MetricsLog.parse(line, file + ":" + (i + 1));
                } catch (IllegalArgumentException e) {
                    if (i == lines.size() - 1) {
                        break; // a line cut off by a killed process
                    }
                    throw e;
                }
                if (r.step() > step) {
                    continue;
                }
                String key = r.phase() + "@" + r.step();
                Integer prev = at.get(key);
                if (prev != null) {
                    kept.set(prev, line);
                    records.set(prev, r);
                } else {
                    at.put(key, kept.size());
                    kept.add(line);
                    records.add(r);
                }
                if (Double.isFinite(r.time())) {
                    lastTime = Math.max(lastTime, r.time());
                }
            }
            try {
                Path tmp =
                        Files.createTempFile(
                                file.toAbsolutePath().getParent(), ".tmp-metrics-", ".jsonl");
                Files.write(tmp, kept, StandardCharsets.UTF_8);
                Files.move(
                        tmp,
                        file,
                        StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                throw new UncheckedIOException("metrics: cannot rewrite " + file, e);
            }
        }
        return new JsonlMetricSink(file, true, lastTime, records);
    }

    /** The records already in the file when it was opened by {@link #resume} (else empty). */
    public List<MetricRecord> history() {
        return history;
    }

    /** The file written. */
    public Path file() {
        return file;
    }

    @Override
    public synchronized void record(String phase, long step, Map<String, Double> values) {
        ObjectNode line = JSON.createObjectNode();
        line.put("phase", phase);
        line.put("step", step);
        line.put("time", timeOffset + (System.nanoTime() - startNanos) / 1e9);
        ObjectNode vals = line.putObject("values");
        values.forEach(
                (k, v) -> {
                    if (v == null || !Double.isFinite(v)) {
                        vals.putNull(k);
                    } else {
                        vals.put(k, v);
                    }
                });
        try {
            out.write(JSON.writeValueAsString(line));
            out.newLine();
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("metrics: cannot write to " + file, e);
        }
    }

    @Override
    public synchronized void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException("metrics: cannot close " + file, e);
        }
    }
}
