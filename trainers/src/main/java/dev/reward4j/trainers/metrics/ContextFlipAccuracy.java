package dev.reward4j.trainers.metrics;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Accuracy of a reward model on context-flip pairs (same prompt and responses, opposite preference
 * under opposite contexts): the pair accuracy over all flip pairs, and the fraction of flip groups
 * in which every pair is ordered correctly (a context-blind model scores 0 there: it cannot order
 * both directions of one comparison).
 *
 * @param pairAccuracy fraction of flip pairs ordered correctly
 * @param groupAccuracy fraction of flip groups with every pair correct
 * @param pairs number of flip pairs
 * @param groups number of flip groups
 */
public record ContextFlipAccuracy(
        double pairAccuracy, double groupAccuracy, int pairs, int groups) {

    /** Metric name of {@link #pairAccuracy()} in held-out reports. */
    public static final String PAIR_ACCURACY = "context_flip/accuracy";

    /** Metric name of {@link #groupAccuracy()} in held-out reports. */
    public static final String GROUP_ACCURACY = "context_flip/group_accuracy";

    /**
     * Computes the accuracies.
     *
     * @param groups flip-group id of each scored pair (null for a pair outside flip groups, which
     *     is ignored)
     * @param correct whether each pair was ordered correctly
     * @return the accuracies (NaN without flip pairs)
     */
    public static ContextFlipAccuracy of(List<String> groups, boolean[] correct) {
        if (groups.size() != correct.length) {
            throw new IllegalArgumentException(
                    "context flips: "
                            + groups.size()
                            + " group ids for "
                            + correct.length
                            + " pairs; expected one per pair");
        }
        Map<String, Boolean> all = new LinkedHashMap<>();
        int n = 0;
        int right = 0;
        for (int i = 0; i < correct.length; i++) {
            String g = groups.get(i);
            if (g == null) {
                continue;
            }
            n++;
            right += correct[i] ? 1 : 0;
            all.merge(g, correct[i], Boolean::logicalAnd);
        }
        long groupsRight = all.values().stream().filter(b -> b).count();
        return new ContextFlipAccuracy(
                n == 0 ? Double.NaN : (double) right / n,
                all.isEmpty() ? Double.NaN : (double) groupsRight / all.size(),
                n,
                all.size());
    }

    /**
     * Adds both accuracies to a metric bag as (sum, count).
     *
     * @param bag the bag
     * @return {@code bag}
     */
    public MetricBag addTo(MetricBag bag) {
        if (pairs > 0) {
            bag.add(PAIR_ACCURACY, pairAccuracy * pairs, pairs);
            bag.add(GROUP_ACCURACY, groupAccuracy * groups, groups);
        }
        return bag;
    }
}
