package dev.reward4j.trainers.eval;

import dev.reward4j.trainers.metrics.Calibration;
import dev.reward4j.trainers.metrics.MetricBag;
import dev.reward4j.trainers.metrics.MetricNames;
import dev.reward4j.trainers.metrics.Moments;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reward-model quality on held-out pairs.
 *
 * @param pairs number of pairs
 * @param accuracy strict pairwise accuracy (ties wrong)
 * @param preferenceNll mean Bradley-Terry negative log-likelihood of the preferences
 * @param margin moments of {@code chosen - rejected}
 * @param chosen moments of chosen rewards
 * @param rejected moments of rejected rewards
 * @param all moments of all rewards pooled
 * @param calibration ECE and reliability bins of {@code sigmoid(chosen - rejected)}
 * @param chosenScores the chosen rewards (for histograms)
 * @param rejectedScores the rejected rewards (for histograms)
 */
public record HeldOutResult(
        long pairs,
        double accuracy,
        double preferenceNll,
        Moments margin,
        Moments chosen,
        Moments rejected,
        Moments all,
        Calibration.Result calibration,
        double[] chosenScores,
        double[] rejectedScores) {

    /**
     * The headline values keyed by {@link MetricNames}, for a {@code MetricSink} ({@code "eval"}
     * phase).
     */
    public Map<String, Double> metrics() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put(MetricNames.ACCURACY, accuracy);
        m.put(MetricNames.PREFERENCE_NLL, preferenceNll);
        m.put(MetricNames.REWARD_CHOSEN, chosen.mean());
        m.put(MetricNames.REWARD_REJECTED, rejected.mean());
        m.put(MetricNames.MARGIN, margin.mean());
        m.put(MetricNames.MARGIN + MetricBag.STD_SUFFIX, margin.std());
        m.put(MetricNames.REWARD_ALL + MetricBag.STD_SUFFIX, all.std());
        m.put(MetricNames.ECE, calibration.ece());
        return m;
    }
}
