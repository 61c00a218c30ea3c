package dev.reward4j.trainers.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads a metrics JSONL file written by {@link JsonlMetricSink}. */
public final class MetricsLog {
    private static final ObjectMapper JSON = new ObjectMapper();

    private MetricsLog() {}

    /**
     * One line of a metrics file.
     *
     * @param line the JSON line
     * @param where {@code file:line}, for the error message
     * @throws IllegalArgumentException naming {@code where} for a malformed line
     */
    static MetricRecord parse(String line, String where) {
        JsonNode node;
        try {
            node = JSON.readTree(line);
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    "metrics: "
                            + where
                            + " is not valid JSON ("
                            + e.getMessage()
                            + "); expected one JSON object per line",
                    e);
        }
        JsonNode phase = node == null ? null : node.get("phase");
        JsonNode step = node == null ? null : node.get("step");
        JsonNode values = node == null ? null : node.get("values");
        if (phase == null
                || !phase.isTextual()
                || step == null
                || !step.canConvertToLong()
                || values == null
                || !values.isObject()) {
            throw new IllegalArgumentException(
                    "metrics: "
                            + where
                            + " lacks a field (phase: string, step: integer, values: object);"
                            + " got "
                            + line);
        }
        Map<String, Double> vals = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = values.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            vals.put(e.getKey(), e.getValue().isNumber() ? e.getValue().doubleValue() : Double.NaN);
        }
        JsonNode time = node.get("time");
        return new MetricRecord(
                phase.asText(), step.asLong(), time == null ? Double.NaN : time.asDouble(), vals);
    }

    /**
     * The records of {@code file} with each (phase, step) once (the last copy wins, as a resumed
     * run of an earlier version could write a replayed step twice), in the order of their first
     * appearance.
     */
    public static List<MetricRecord> readDistinct(Path file) {
        Map<String, MetricRecord> byKey = new LinkedHashMap<>();
        for (MetricRecord r : read(file)) {
            byKey.put(r.phase() + "@" + r.step(), r);
        }
        return new ArrayList<>(byKey.values());
    }

    /**
     * Every record of {@code file} in file order. Blank lines are skipped.
     *
     * @throws IllegalArgumentException naming file, line and field for a malformed line
     */
    public static List<MetricRecord> read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("metrics: cannot read " + file, e);
        }
        List<MetricRecord> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            out.add(parse(line, file + ":" + (i + 1)));
        }
        return out;
    }
}
