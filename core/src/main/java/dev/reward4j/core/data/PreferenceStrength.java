package dev.reward4j.core.data;

/**
 * The preference strength of one pair as measured by a reward-model ensemble: the mean and the
 * standard deviation over members of the reward difference \( d_k = r_k(y_c) - r_k(y_r) \). A large
 * positive mean is a clear, agreed preference; a mean near 0 an ambiguous pair; a negative mean
 * with a small spread a pair the ensemble confidently reverses (a likely label error).
 *
 * @param mean mean of the member reward differences
 * @param std population standard deviation of the member reward differences
 */
public record PreferenceStrength(double mean, double std) {
    /** Validates the values. */
    public PreferenceStrength {
        if (!Double.isFinite(mean) || !(std >= 0) || !Double.isFinite(std)) {
            throw new IllegalArgumentException(
                    "PreferenceStrength: mean ("
                            + mean
                            + ") and std ("
                            + std
                            + "); expected finite values, std >= 0");
        }
    }

    /**
     * The strength from member reward differences.
     *
     * @param differences \( d_k \), one per member, at least one
     * @return the strength
     */
    public static PreferenceStrength of(double[] differences) {
        if (differences.length == 0) {
            throw new IllegalArgumentException(
                    "PreferenceStrength: no member differences (0); expected at least one");
        }
        double m = 0;
        for (double d : differences) {
            m += d;
        }
        m /= differences.length;
        double s = 0;
        for (double d : differences) {
            s += (d - m) * (d - m);
        }
        return new PreferenceStrength(m, Math.sqrt(s / differences.length));
    }

    /**
     * \( \bar d / \mathrm{std}(d) \) (how many spreads the mean is away from 0); infinite with the
     * mean's sign when every member agrees exactly, 0 for a zero mean.
     *
     * @return the z-score
     */
    public double zScore() {
        if (mean == 0) {
            return 0;
        }
        return std == 0 ? Math.copySign(Double.POSITIVE_INFINITY, mean) : mean / std;
    }

    /**
     * The strength of the same pair with chosen and rejected exchanged.
     *
     * @return the negated strength
     */
    public PreferenceStrength reversed() {
        return new PreferenceStrength(-mean, std);
    }
}
