package dev.reward4j.core.heads;

/**
 * The scores of an ensemble for N responses: each member's reward, the aggregate and the
 * uncertainty (population standard deviation of the member rewards).
 *
 * @param members {@code [response][member]} member rewards
 * @param aggregate {@code [response]} aggregated reward
 * @param uncertainty {@code [response]} standard deviation over members
 */
public record EnsembleScores(double[][] members, double[] aggregate, double[] uncertainty) {

    /**
     * Aggregates member rewards.
     *
     * @param members {@code [response][member]}
     * @param aggregation how members combine
     * @return the scores
     */
    public static EnsembleScores of(double[][] members, EnsembleAggregation aggregation) {
        double[] agg = new double[members.length];
        double[] unc = new double[members.length];
        for (int i = 0; i < members.length; i++) {
            agg[i] = aggregation.apply(members[i]);
            unc[i] = std(members[i]);
        }
        return new EnsembleScores(members, agg, unc);
    }

    /** Mean of {@code v}. */
    static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }

    /** Population standard deviation of {@code v}. */
    static double std(double[] v) {
        double m = mean(v);
        double s = 0;
        for (double x : v) {
            s += (x - m) * (x - m);
        }
        return Math.sqrt(s / v.length);
    }
}
