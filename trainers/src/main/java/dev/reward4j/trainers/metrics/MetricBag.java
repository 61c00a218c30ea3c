package dev.reward4j.trainers.metrics;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Metrics as {@code (sum, count)} pairs, divided once when read.
 *
 * <p>Objectives add per-example sums; the loop merges the bags of all micro-steps of an optimizer
 * step and reads the means once, so logged values do not depend on how a step is split into
 * micro-batches (averaging per-micro-batch means instead makes logged loss and accuracy drift under
 * gradient accumulation). Not thread-safe.
 */
public final class MetricBag {
    private final Map<String, double[]> sums = new LinkedHashMap<>();
    private final Map<String, Double> squares = new LinkedHashMap<>();

    /**
     * Suffix of the derived standard deviation that {@link #means()} emits for metrics added with
     * {@link #addMoments}.
     */
    public static final String STD_SUFFIX = "_std";

    /** Adds {@code sum} over {@code count} examples (or tokens) to metric {@code name}. */
    public MetricBag add(String name, double sum, double count) {
        if (count < 0 || Double.isNaN(count)) {
            throw new IllegalArgumentException(
                    "metrics: count of '" + name + "' must be >= 0 (got " + count + ")");
        }
        double[] acc = sums.computeIfAbsent(name, k -> new double[2]);
        acc[0] += sum;
        acc[1] += count;
        return this;
    }

    /** Adds a single observation with weight 1. */
    public MetricBag addValue(String name, double value) {
        return add(name, value, 1);
    }

    /**
     * Adds {@code sum} and {@code sumSquares} of {@code count} observations to metric {@code name},
     * so that {@link #std} and {@link #means()} can report the (population) standard deviation over
     * all merged observations, exactly as if they had been seen in one batch.
     */
    public MetricBag addMoments(String name, double sum, double sumSquares, double count) {
        add(name, sum, count);
        squares.merge(name, sumSquares, Double::sum);
        return this;
    }

    /** Adds every metric of {@code other} into this bag. */
    public MetricBag merge(MetricBag other) {
        other.sums.forEach((k, v) -> add(k, v[0], v[1]));
        other.squares.forEach((k, v) -> squares.merge(k, v, Double::sum));
        return this;
    }

    /**
     * Population standard deviation {@code sqrt(E[x^2] - E[x]^2)} of a metric added with {@link
     * #addMoments}; NaN when the metric has no second moment or its count is 0. Tiny negative
     * variances from rounding read as 0.
     */
    public double std(String name) {
        double[] acc = sums.get(name);
        Double sq = squares.get(name);
        if (acc == null || sq == null || acc[1] == 0) {
            return Double.NaN;
        }
        double mean = acc[0] / acc[1];
        return Math.sqrt(Math.max(0, sq / acc[1] - mean * mean));
    }

    /** The sum of {@code name} (0 when absent). */
    public double sum(String name) {
        double[] acc = sums.get(name);
        return acc == null ? 0 : acc[0];
    }

    /** The count of {@code name} (0 when absent). */
    public double count(String name) {
        double[] acc = sums.get(name);
        return acc == null ? 0 : acc[1];
    }

    /** {@code sum / count} for {@code name}; NaN when absent or the count is 0. */
    public double mean(String name) {
        double[] acc = sums.get(name);
        return acc == null || acc[1] == 0 ? Double.NaN : acc[0] / acc[1];
    }

    /**
     * Every metric's mean, in insertion order; metrics with count 0 are left out. A metric added
     * with {@link #addMoments} is followed by {@code name + STD_SUFFIX}, its standard deviation.
     */
    public Map<String, Double> means() {
        Map<String, Double> out = new LinkedHashMap<>();
        sums.forEach(
                (k, v) -> {
                    if (v[1] > 0) {
                        out.put(k, v[0] / v[1]);
                        if (squares.containsKey(k)) {
                            out.put(k + STD_SUFFIX, std(k));
                        }
                    }
                });
        return Collections.unmodifiableMap(out);
    }

    /** True when nothing was added. */
    public boolean isEmpty() {
        return sums.isEmpty();
    }
}
