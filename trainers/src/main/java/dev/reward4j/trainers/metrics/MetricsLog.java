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
            String where = file + ":" + (i + 1);
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
            JsonNode phase = node.get("phase");
            JsonNode step = node.get("step");
            JsonNode values = node.get("values");
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
                vals.put(
                        e.getKey(),
                        e.getValue().isNumber() ? e.getValue().doubleValue() : Double.NaN);
            }
            JsonNode time = node.get("time");
            out.add(
                    new MetricRecord(
                            phase.asText(),
                            step.asLong(),
                            time == null ? Double.NaN : time.asDouble(),
                            vals));
        }
        return out;
    }
}
