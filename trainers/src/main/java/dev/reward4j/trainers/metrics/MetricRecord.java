package dev.reward4j.trainers.metrics;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One logged line of the metrics JSONL file.
 *
 * @param phase {@code "train"}, {@code "eval"} or another phase name
 * @param step optimizer step the values belong to
 * @param time seconds since the sink was opened
 * @param values metric name to value in logged order; a value written as JSON {@code null}
 *     (non-finite) reads as NaN
 */
public record MetricRecord(String phase, long step, double time, Map<String, Double> values) {
    /** Copies {@code values} preserving order. */
    public MetricRecord {
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /** The value of {@code name}, NaN when absent. */
    public double value(String name) {
        Double v = values.get(name);
        return v == null ? Double.NaN : v;
    }
}
