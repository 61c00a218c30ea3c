package dev.reward4j.trainers.metrics;

/**
 * Metrics of models that give a preference probability instead of two rewards (general preference
 * models, mixtures of BT heads, ideal-point models): {@code accuracy} (strict: {@code p > 0.5}) and
 * {@code preference_nll} ({@code -log p}), as (sum, count).
 */
public final class PreferenceMetrics {
    private PreferenceMetrics() {}

    /**
     * Adds {@link MetricNames#ACCURACY} and {@link MetricNames#PREFERENCE_NLL} over the pairs.
     * Non-finite probabilities are skipped (not counted).
     *
     * @param bag the bag
     * @param probability per pair, the probability that the chosen response is preferred
     * @return {@code bag}
     */
    public static MetricBag addTo(MetricBag bag, double[] probability) {
        double correct = 0;
        double nll = 0;
        int n = 0;
        for (double p : probability) {
            if (!Double.isFinite(p)) {
                continue;
            }
            correct += p > 0.5 ? 1 : 0;
            nll += -Math.log(Math.max(p, Double.MIN_NORMAL));
            n++;
        }
        bag.add(MetricNames.ACCURACY, correct, n);
        bag.add(MetricNames.PREFERENCE_NLL, nll, n);
        return bag;
    }
}
