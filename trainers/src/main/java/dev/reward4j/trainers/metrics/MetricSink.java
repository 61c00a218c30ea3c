package dev.reward4j.trainers.metrics;

import java.util.Map;

/** Receives logged metric values (already reduced to means) for one step or one evaluation. */
public interface MetricSink extends AutoCloseable {
    /** A sink that ignores every record. */
    MetricSink NONE = (phase, step, values) -> {};

    /**
     * Records {@code values} for {@code step} under {@code phase} ({@code "train"} or {@code
     * "eval"}).
     *
     * @param phase where the values come from
     * @param step the optimizer step (1-based) the values belong to
     * @param values metric name to value, in a stable order
     */
    void record(String phase, long step, Map<String, Double> values);

    @Override
    default void close() {}
}
