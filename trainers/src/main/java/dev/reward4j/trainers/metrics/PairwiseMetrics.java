package dev.reward4j.trainers.metrics;

/**
 * Pairwise preference metrics on host arrays: row {@code i} of {@code chosen} and {@code rejected}
 * are the scores of the two responses of pair {@code i}.
 *
 * <p>Accuracy is <b>strict</b>: a pair counts as correct only when {@code chosen[i] > rejected[i]};
 * a tie is wrong (the RewardBench v1 rule, {@code score_chosen > score_rejected} in its {@code
 * scripts/run_rm.py}). This also keeps an untrained model whose scores are all equal at accuracy 0
 * rather than a flattering 0.5 or 1.
 */
public final class PairwiseMetrics {
    private PairwiseMetrics() {}

    /** Number of pairs with {@code chosen[i] > rejected[i]} (strict; ties are wrong). */
    public static long correctCount(double[] chosen, double[] rejected) {
        check(chosen, rejected);
        long correct = 0;
        for (int i = 0; i < chosen.length; i++) {
            if (chosen[i] > rejected[i]) {
                correct++;
            }
        }
        return correct;
    }

    /** Strict pairwise accuracy in [0, 1]; NaN for zero pairs. */
    public static double accuracy(double[] chosen, double[] rejected) {
        long correct = correctCount(chosen, rejected);
        return chosen.length == 0 ? Double.NaN : (double) correct / chosen.length;
    }

    /**
     * Policy ranking accuracy ("Preference Learning Algorithms Do Not Learn Preference Rankings",
     * arXiv:2405.19534): the fraction of pairs where the policy alone assigns the chosen response a
     * higher likelihood, {@code log pi(y_w|x) > log pi(y_l|x)}, with summed completion log-probs.
     * Strict, like {@link #accuracy}.
     */
    public static double policyRankingAccuracy(
            double[] policyChosenLogps, double[] policyRejectedLogps) {
        return accuracy(policyChosenLogps, policyRejectedLogps);
    }

    /**
     * Mean Bradley-Terry negative log-likelihood of the observed preferences {@code mean(log(1 +
     * exp(-(c - r))))}, with the stable form {@code max(-m, 0) + log1p(exp(-|m|))}; NaN for zero
     * pairs. A held-out metric (the training loss comes from {@code dev.reward4j.losses}).
     */
    public static double preferenceNll(double[] chosen, double[] rejected) {
        double[] m = margins(chosen, rejected);
        double s = 0;
        for (double x : m) {
            s += Math.max(-x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
        }
        return m.length == 0 ? Double.NaN : s / m.length;
    }

    /** The per-pair margins {@code chosen[i] - rejected[i]} (a new array). */
    public static double[] margins(double[] chosen, double[] rejected) {
        check(chosen, rejected);
        double[] m = new double[chosen.length];
        for (int i = 0; i < m.length; i++) {
            m[i] = chosen[i] - rejected[i];
        }
        return m;
    }

    /** Moments (mean, std, min, max) of the margins {@code chosen - rejected}. */
    public static Moments marginStats(double[] chosen, double[] rejected) {
        return Moments.of(margins(chosen, rejected));
    }

    /** Moments of all rewards, chosen and rejected pooled ({@code 2B} values). */
    public static Moments rewardStats(double[] chosen, double[] rejected) {
        check(chosen, rejected);
        double[] all = new double[chosen.length * 2];
        System.arraycopy(chosen, 0, all, 0, chosen.length);
        System.arraycopy(rejected, 0, all, chosen.length, rejected.length);
        return Moments.of(all);
    }

    /**
     * Adds the reward-model metric sums of one micro-batch to {@code bag}: {@link
     * MetricNames#ACCURACY} (correct, pairs), {@link MetricNames#REWARD_CHOSEN}, {@link
     * MetricNames#REWARD_REJECTED}, {@link MetricNames#MARGIN} with moments (so {@code
     * rewards/margin_std} is exact over the merged step) and {@link MetricNames#REWARD_ALL} with
     * moments (reward std over chosen and rejected pooled). Merging the bags of micro-batches gives
     * exactly the metrics of the concatenated batch.
     *
     * @return {@code bag}
     */
    public static MetricBag addTo(MetricBag bag, double[] chosen, double[] rejected) {
        check(chosen, rejected);
        int n = chosen.length;
        double sc = 0;
        double sr = 0;
        double sm = 0;
        double smm = 0;
        double sall2 = 0;
        long correct = 0;
        for (int i = 0; i < n; i++) {
            double c = chosen[i];
            double r = rejected[i];
            double m = c - r;
            sc += c;
            sr += r;
            sm += m;
            smm += m * m;
            sall2 += c * c + r * r;
            if (c > r) {
                correct++;
            }
        }
        bag.add(MetricNames.ACCURACY, correct, n);
        bag.add(MetricNames.REWARD_CHOSEN, sc, n);
        bag.add(MetricNames.REWARD_REJECTED, sr, n);
        bag.addMoments(MetricNames.MARGIN, sm, smm, n);
        bag.addMoments(MetricNames.REWARD_ALL, sc + sr, sall2, 2.0 * n);
        return bag;
    }

    /**
     * Adds the DPO-family policy metrics: {@link MetricNames#POLICY_RANKING_ACCURACY}, {@link
     * MetricNames#LOGPS_CHOSEN} and {@link MetricNames#LOGPS_REJECTED} (sums over pairs). Implicit
     * rewards go through {@link #addTo}.
     *
     * @return {@code bag}
     */
    public static MetricBag addPolicyTo(
            MetricBag bag, double[] policyChosenLogps, double[] policyRejectedLogps) {
        long correct = correctCount(policyChosenLogps, policyRejectedLogps);
        int n = policyChosenLogps.length;
        double sc = 0;
        double sr = 0;
        for (int i = 0; i < n; i++) {
            sc += policyChosenLogps[i];
            sr += policyRejectedLogps[i];
        }
        bag.add(MetricNames.POLICY_RANKING_ACCURACY, correct, n);
        bag.add(MetricNames.LOGPS_CHOSEN, sc, n);
        bag.add(MetricNames.LOGPS_REJECTED, sr, n);
        return bag;
    }

    /** {@link #addTo(MetricBag, double[], double[])} on (B) reward arrays copied to the host. */
    public static MetricBag addTo(
            MetricBag bag, ai.djl.ndarray.NDArray chosen, ai.djl.ndarray.NDArray rejected) {
        return addTo(bag, HostArrays.of(chosen), HostArrays.of(rejected));
    }

    /**
     * {@link #addPolicyTo(MetricBag, double[], double[])} on (B) summed log-prob arrays copied to
     * the host.
     */
    public static MetricBag addPolicyTo(
            MetricBag bag,
            ai.djl.ndarray.NDArray policyChosenLogps,
            ai.djl.ndarray.NDArray policyRejectedLogps) {
        return addPolicyTo(
                bag, HostArrays.of(policyChosenLogps), HostArrays.of(policyRejectedLogps));
    }

    private static void check(double[] chosen, double[] rejected) {
        MetricChecks.finitePair(chosen, rejected, "pairwise metrics", "chosen", "rejected");
    }
}
