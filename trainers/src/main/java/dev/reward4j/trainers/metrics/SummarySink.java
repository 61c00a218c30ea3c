package dev.reward4j.trainers.metrics;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A {@link MetricSink} that remembers the last train and eval values and the best eval value of
 * each tracked metric, then builds a {@link RunSummary}. Direction: metrics named {@code loss} or
 * ending in {@code loss}, {@code ece}, {@code error} or {@code nll} are better when lower; {@code
 * accuracy}, {@code accuracies}, {@code ndcg@k} and {@code kendall_tau} (and names ending in them)
 * are better when higher; other metrics (rewards, margins, lr, ...) have no "best" and are not
 * tracked. Non-finite values are never best.
 */
public final class SummarySink implements MetricSink {
    private final Map<String, Double> lastTrain = new LinkedHashMap<>();
    private final Map<String, Double> lastEval = new LinkedHashMap<>();
    private final Map<String, RunSummary.Best> best = new LinkedHashMap<>();
    private long lastStep;

    @Override
    public synchronized void record(String phase, long step, Map<String, Double> values) {
        lastStep = Math.max(lastStep, step);
        if ("train".equals(phase)) {
            lastTrain.clear();
            lastTrain.putAll(values);
            return;
        }
        lastEval.clear();
        lastEval.putAll(values);
        values.forEach(
                (k, v) -> {
                    int dir = direction(k);
                    if (dir == 0 || v == null || !Double.isFinite(v)) {
                        return;
                    }
                    RunSummary.Best b = best.get(k);
                    if (b == null || dir * (v - b.value()) > 0) {
                        best.put(k, new RunSummary.Best(v, step));
                    }
                });
    }

    /** +1 when higher is better, -1 when lower is better, 0 when not tracked. */
    static int direction(String name) {
        String n = name.toLowerCase(java.util.Locale.ROOT);
        if (n.endsWith("loss") || n.endsWith("ece") || n.endsWith("error") || n.endsWith("nll")) {
            return -1;
        }
        if (n.endsWith("accuracy")
                || n.endsWith("accuracies")
                || n.contains(MetricNames.NDCG_PREFIX)
                || n.endsWith(MetricNames.KENDALL_TAU)) {
            return 1;
        }
        return 0;
    }

    /**
     * The summary of what was recorded so far, with the run's wall time, throughput counts and data
     * counters.
     */
    public synchronized RunSummary summarize(
            Duration wallTime, long tokens, long examples, Map<String, Long> dataCounters) {
        return new RunSummary(
                lastStep, lastTrain, lastEval, best, wallTime, tokens, examples, dataCounters);
    }
}
