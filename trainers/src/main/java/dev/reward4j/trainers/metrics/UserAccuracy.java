package dev.reward4j.trainers.metrics;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Per-user accuracy of pairwise predictions: each user's fraction of correctly ordered pairs, their
 * unweighted mean over users (every user counts once, however many pairs it has) and the worst user
 * (the quantity an egalitarian objective such as MaxMin-RLHF cares about).
 *
 * @param perUser accuracy of each user, by user id (sorted)
 * @param mean mean of the per-user accuracies
 * @param worst lowest per-user accuracy
 */
public record UserAccuracy(Map<String, Double> perUser, double mean, double worst) {
    /** Copies the map. */
    public UserAccuracy {
        perUser = Collections.unmodifiableMap(new TreeMap<>(perUser));
    }

    /**
     * Per-user accuracy of predictions.
     *
     * @param users the user of each pair
     * @param correct whether each pair was ordered correctly
     * @return the summary
     */
    public static UserAccuracy of(List<String> users, boolean[] correct) {
        if (users.size() != correct.length || correct.length == 0) {
            throw new IllegalArgumentException(
                    "user accuracy: "
                            + users.size()
                            + " users for "
                            + correct.length
                            + " predictions; expected the same non-zero number");
        }
        Map<String, double[]> acc = new TreeMap<>();
        for (int i = 0; i < correct.length; i++) {
            double[] a = acc.computeIfAbsent(users.get(i), k -> new double[2]);
            a[0] += correct[i] ? 1 : 0;
            a[1]++;
        }
        Map<String, Double> per = new TreeMap<>();
        double sum = 0;
        double worst = 1;
        for (Map.Entry<String, double[]> e : acc.entrySet()) {
            double v = e.getValue()[0] / e.getValue()[1];
            per.put(e.getKey(), v);
            sum += v;
            worst = Math.min(worst, v);
        }
        return new UserAccuracy(per, sum / per.size(), worst);
    }
}
