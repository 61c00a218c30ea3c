package dev.reward4j.trainers.metrics;

import java.util.List;
import java.util.Map;

/** Combinators over {@link MetricSink}s. */
public final class MetricSinks {
    private MetricSinks() {}

    /**
     * A sink that forwards every record to each of {@code sinks} in order and closes them all (in
     * order).
     */
    public static MetricSink tee(MetricSink... sinks) {
        List<MetricSink> all = List.of(sinks);
        return new MetricSink() {
            @Override
            public void record(String phase, long step, Map<String, Double> values) {
                for (MetricSink s : all) {
                    s.record(phase, step, values);
                }
            }

            @Override
            public void close() {
                RuntimeException first = null;
                for (MetricSink s : all) {
                    try {
                        s.close();
                    } catch (RuntimeException e) {
                        if (first == null) {
                            first = e;
                        } else {
                            first.addSuppressed(e);
                        }
                    }
                }
                if (first != null) {
                    throw first;
                }
            }
        };
    }
}
