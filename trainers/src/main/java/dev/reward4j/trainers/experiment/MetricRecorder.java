package dev.reward4j.trainers.experiment;

import dev.reward4j.trainers.metrics.MetricSink;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Records an experiment's metrics: named scalars (final results) and named series of {@code (step,
 * value)} points (curves). Written into {@code result.json} after the method. Not thread-safe.
 */
public final class MetricRecorder {
    private final Map<String, Double> scalars = new LinkedHashMap<>();
    private final Map<String, List<double[]>> series = new LinkedHashMap<>();

    /**
     * Records (or replaces) scalar {@code name}; returns {@code value} so it can be asserted on
     * inline.
     */
    public double put(String name, double value) {
        scalars.put(name, value);
        return value;
    }

    /** Appends point {@code (step, value)} to series {@code name}. */
    public void add(String name, long step, double value) {
        series.computeIfAbsent(name, k -> new ArrayList<>()).add(new double[] {step, value});
    }

    /**
     * A {@link MetricSink} that appends every value logged by a training loop or evaluator to
     * series {@code phase/name}.
     */
    public MetricSink asSink() {
        return (phase, step, values) -> values.forEach((k, v) -> add(phase + "/" + k, step, v));
    }

    /** The scalars recorded so far, in insertion order. */
    public Map<String, Double> scalars() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(scalars));
    }

    /** The series recorded so far: name to {@code [step, value]} points. */
    public Map<String, List<double[]>> series() {
        Map<String, List<double[]>> copy = new LinkedHashMap<>();
        series.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        return Collections.unmodifiableMap(copy);
    }
}
