package dev.reward4j.core.data;

/**
 * Consistency of two reward sources on the same responses, for CREAM's consistency-regularised DPO
 * (arXiv 2410.12735): Kendall's \( \tau \) between the two rankings of a prompt's responses and the
 * consistency rate \( C = (\tau + 1)/2 \in [0, 1] \) (1 = same order, 0 = reversed). With two
 * responses (a pair) \( C \) is 1 when both sources prefer the same response, 0 when they disagree
 * and 0.5 when one of them ties.
 */
public final class RewardConsistency {
    private RewardConsistency() {}

    /**
     * Kendall's \( \tau_a \) over all response pairs: (concordant - discordant) / pairs; ties in
     * either source count as neither.
     *
     * @param a scores of source A (e.g. the previous iteration's reward), length K &ge; 2
     * @param b scores of source B on the same responses, length K
     * @return \( \tau \in [-1, 1] \)
     */
    public static double kendallTau(double[] a, double[] b) {
        if (a.length != b.length || a.length < 2) {
            throw new IllegalArgumentException(
                    "RewardConsistency: score arrays of lengths "
                            + a.length
                            + " and "
                            + b.length
                            + "; expected equal lengths >= 2");
        }
        long concordant = 0;
        long discordant = 0;
        for (int i = 0; i < a.length; i++) {
            for (int j = i + 1; j < a.length; j++) {
                double s = Math.signum(a[i] - a[j]) * Math.signum(b[i] - b[j]);
                if (s > 0) {
                    concordant++;
                } else if (s < 0) {
                    discordant++;
                }
            }
        }
        long pairs = (long) a.length * (a.length - 1) / 2;
        return (concordant - discordant) / (double) pairs;
    }

    /**
     * The consistency rate \( C = (\tau + 1)/2 \).
     *
     * @param a scores of source A
     * @param b scores of source B
     * @return \( C \in [0, 1] \)
     */
    public static double rate(double[] a, double[] b) {
        return (kendallTau(a, b) + 1) / 2;
    }
}
