package dev.reward4j.trainers.metrics;

import dev.reward4j.core.util.Checks;
import java.util.ArrayList;
import java.util.List;

/**
 * Calibration of the Bradley-Terry preference probability {@code p_i = sigmoid(chosen[i] -
 * rejected[i])}: expected calibration error (ECE) and the bins of a reliability diagram.
 *
 * <p><b>Formulation.</b> Every pair is a binary prediction "chosen is preferred" with probability
 * {@code p_i}. Since the label is always "chosen" in a preference set, we use the top-label form
 * ("On Calibration of Modern Neural Networks", arXiv 1706.04599): confidence {@code c_i = max(p_i,
 * 1 - p_i) = sigmoid(|d_i|)} with {@code d_i = chosen[i] - rejected[i]}, and the prediction is
 * correct when {@code d_i > 0} (strict, like {@link PairwiseMetrics#accuracy}: a tie has confidence
 * 0.5 and is wrong). For pairs without exact ties this equals the ECE of the symmetrised set that
 * contains each pair in both orders, {@code (p_i, y=1)} and {@code (1 - p_i, y=0)}, binned over [0,
 * 1] with {@code 2M} bins, i.e. what a random-orientation evaluation gives in expectation (a tie
 * would read as perfectly calibrated there, and as a wrong prediction at confidence 0.5 here).
 *
 * <p><b>Binning.</b> {@code M} equal-width bins over the confidence range [0.5, 1]: bin {@code b}
 * (0-based) holds confidences in {@code [0.5 + b w, 0.5 + (b + 1) w)} with {@code w = 0.5 / M}; the
 * last bin also holds 1.0. {@code ECE = sum_b (n_b / N) |acc_b - conf_b|}, where {@code acc_b} is
 * the fraction correct and {@code conf_b} the mean confidence in bin b; empty bins contribute 0.
 * The maximum calibration error (MCE) is the largest gap over non-empty bins. Probabilities are
 * computed in double precision with the stable form {@code sigmoid(|d|) = 1 / (1 + exp(-|d|))}.
 */
public final class Calibration {
    /** Default number of bins (over the confidence range [0.5, 1]). */
    public static final int DEFAULT_BINS = 10;

    private Calibration() {}

    /**
     * One bin of the reliability diagram.
     *
     * @param lower inclusive lower confidence edge
     * @param upper exclusive upper edge (inclusive for the last bin)
     * @param count pairs in the bin
     * @param meanConfidence mean confidence of those pairs (NaN when empty)
     * @param accuracy fraction of those pairs that are correct (NaN when empty)
     */
    public record Bin(
            double lower, double upper, long count, double meanConfidence, double accuracy) {}

    /**
     * Calibration of a set of pairs.
     *
     * @param bins the {@code M} bins in increasing confidence order
     * @param ece expected calibration error in [0, 0.5] (NaN for zero pairs)
     * @param mce maximum calibration error over non-empty bins (NaN for zero pairs)
     * @param count number of pairs
     */
    public record Result(List<Bin> bins, double ece, double mce, long count) {
        /** Defensive copy of the bins. */
        public Result {
            bins = List.copyOf(bins);
        }
    }

    /** The confidence {@code max(p, 1-p) = sigmoid(|chosen - rejected|)} of one pair. */
    public static double confidence(double chosen, double rejected) {
        return 1.0 / (1.0 + Math.exp(-Math.abs(chosen - rejected)));
    }

    /** The bin index of {@code confidence} in [0.5, 1] for {@code bins} equal-width bins. */
    static int binOf(double confidence, int bins) {
        int b = (int) Math.floor((confidence - 0.5) * 2 * bins);
        return Math.max(0, Math.min(bins - 1, b));
    }

    /** ECE, MCE and reliability bins for {@code bins} equal-width bins over [0.5, 1]. */
    public static Result of(double[] chosen, double[] rejected, int bins) {
        Checks.positive(bins, "calibration: bins");
        MetricChecks.finitePair(chosen, rejected, "calibration", "chosen", "rejected");
        long[] counts = new long[bins];
        double[] confSum = new double[bins];
        long[] correct = new long[bins];
        for (int i = 0; i < chosen.length; i++) {
            double c = confidence(chosen[i], rejected[i]);
            int b = binOf(c, bins);
            counts[b]++;
            confSum[b] += c;
            if (chosen[i] > rejected[i]) {
                correct[b]++;
            }
        }
        long n = chosen.length;
        List<Bin> out = new ArrayList<>(bins);
        double ece = 0;
        double mce = 0;
        double width = 0.5 / bins;
        for (int b = 0; b < bins; b++) {
            double lower = 0.5 + b * width;
            double upper = b == bins - 1 ? 1.0 : 0.5 + (b + 1) * width;
            if (counts[b] == 0) {
                out.add(new Bin(lower, upper, 0, Double.NaN, Double.NaN));
                continue;
            }
            double conf = confSum[b] / counts[b];
            double acc = (double) correct[b] / counts[b];
            double gap = Math.abs(acc - conf);
            ece += (double) counts[b] / n * gap;
            mce = Math.max(mce, gap);
            out.add(new Bin(lower, upper, counts[b], conf, acc));
        }
        return n == 0 ? new Result(out, Double.NaN, Double.NaN, 0) : new Result(out, ece, mce, n);
    }

    /** {@link #of} with {@link #DEFAULT_BINS} bins. */
    public static Result of(double[] chosen, double[] rejected) {
        return of(chosen, rejected, DEFAULT_BINS);
    }

    /** Expected calibration error with {@code bins} equal-width bins over [0.5, 1]. */
    public static double expectedCalibrationError(double[] chosen, double[] rejected, int bins) {
        return of(chosen, rejected, bins).ece();
    }
}
