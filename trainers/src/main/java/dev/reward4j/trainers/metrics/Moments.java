package dev.reward4j.trainers.metrics;

/**
 * Count, mean, population standard deviation, minimum and maximum of a sample.
 *
 * @param count number of values
 * @param mean arithmetic mean (NaN when empty)
 * @param std population standard deviation, divisor {@code count} (NaN when empty)
 * @param min smallest value (NaN when empty)
 * @param max largest value (NaN when empty)
 */
public record Moments(long count, double mean, double std, double min, double max) {

    /** Moments of {@code values} (two-pass, so the variance does not cancel catastrophically). */
    public static Moments of(double[] values) {
        MetricChecks.finite(values, "moments: values");
        int n = values.length;
        if (n == 0) {
            return new Moments(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        double sum = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double v : values) {
            sum += v;
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        double mean = sum / n;
        double ss = 0;
        for (double v : values) {
            ss += (v - mean) * (v - mean);
        }
        return new Moments(n, mean, Math.sqrt(ss / n), min, max);
    }
}
