package dev.reward4j.trainers.metrics;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;

/**
 * Writes one JSON object per record to a JSONL file and flushes after each line, so a crashed run
 * keeps every logged step:
 *
 * <pre>{"phase":"train","step":10,"time":3.52,"values":{"loss":0.61,"accuracy":0.7}}</pre>
 *
 * <p>{@code time} is seconds since the sink was opened. Non-finite values are written as {@code
 * null} (JSON has no NaN) and read back as NaN by {@link MetricsLog#read}. The file is created
 * (parent directories too) or, with {@code append}, extended, e.g. when a run resumes.
 */
public final class JsonlMetricSink implements MetricSink {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path file;
    private final BufferedWriter out;
    private final long startNanos = System.nanoTime();

    private JsonlMetricSink(Path file, boolean append) {
        this.file = file;
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

    /** The file written. */
    public Path file() {
        return file;
    }

    @Override
    public synchronized void record(String phase, long step, Map<String, Double> values) {
        ObjectNode line = JSON.createObjectNode();
        line.put("phase", phase);
        line.put("step", step);
        line.put("time", (System.nanoTime() - startNanos) / 1e9);
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
