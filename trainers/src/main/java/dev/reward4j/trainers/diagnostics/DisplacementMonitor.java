package dev.reward4j.trainers.diagnostics;

import dev.reward4j.core.util.Checks;
import java.util.ArrayList;
import java.util.List;

/**
 * The trajectory of the chosen and rejected log-probabilities of one phase (training or held-out
 * evaluation) with a likelihood-displacement flag: the flag rises when the chosen log-prob has
 * fallen more than {@code tolerance} below its first value while the log-prob margin {@code chosen
 * - rejected} has risen more than {@code tolerance} above its first value, which is what DPO's
 * likelihood displacement looks like (arXiv:2410.08847: the margin grows while the preferred
 * response becomes less likely).
 *
 * <p>Training metrics come from a different batch every step, so they are smoothed by an
 * exponential moving average \( s_t = s_{t-1} + a (x_t - s_{t-1}) \) (starting at the first value)
 * before the comparison; held-out metrics repeat the same pairs and use {@code a = 1} (no
 * smoothing). Not thread-safe.
 */
public final class DisplacementMonitor {
    private final double smoothing;
    private final double tolerance;
    private final List<Observation> trajectory = new ArrayList<>();
    private double firstChosen;
    private double firstMargin;
    private double chosen;
    private double margin;

    /**
     * One point of the trajectory.
     *
     * @param step the optimizer step
     * @param logpsChosen the logged mean chosen log-prob
     * @param logpsRejected the logged mean rejected log-prob
     * @param chosenChange smoothed chosen log-prob minus its first value
     * @param marginChange smoothed margin minus its first value
     * @param displaced whether the flag is up at this step
     */
    public record Observation(
            long step,
            double logpsChosen,
            double logpsRejected,
            double chosenChange,
            double marginChange,
            boolean displaced) {}

    /**
     * Creates a monitor.
     *
     * @param smoothing EMA factor in {@code (0, 1]} (1 = no smoothing)
     * @param tolerance how far (nats, {@code >= 0}) both changes must go before the flag rises
     */
    public DisplacementMonitor(double smoothing, double tolerance) {
        Checks.argument(
                smoothing > 0 && smoothing <= 1,
                () -> "displacement monitor: smoothing (" + smoothing + ") outside (0, 1]");
        Checks.argument(
                tolerance >= 0 && Double.isFinite(tolerance),
                () -> "displacement monitor: tolerance (" + tolerance + ") must be finite, >= 0");
        this.smoothing = smoothing;
        this.tolerance = tolerance;
    }

    /** For held-out evaluation (the same pairs every time): no smoothing, tolerance 0. */
    public static DisplacementMonitor forEvaluation() {
        return new DisplacementMonitor(1, 0);
    }

    /** For training batches: EMA factor 0.1, tolerance 0. */
    public static DisplacementMonitor forTraining() {
        return new DisplacementMonitor(0.1, 0);
    }

    /**
     * Adds the values logged at {@code step} and returns the point with its flag.
     *
     * @param step the optimizer step
     * @param logpsChosen mean summed log-prob of the chosen responses
     * @param logpsRejected mean summed log-prob of the rejected responses
     * @return the new point of the trajectory
     */
    public Observation observe(long step, double logpsChosen, double logpsRejected) {
        double m = logpsChosen - logpsRejected;
        if (trajectory.isEmpty()) {
            firstChosen = logpsChosen;
            firstMargin = m;
            chosen = logpsChosen;
            margin = m;
        } else {
            chosen += smoothing * (logpsChosen - chosen);
            margin += smoothing * (m - margin);
        }
        double dc = chosen - firstChosen;
        double dm = margin - firstMargin;
        Observation o =
                new Observation(
                        step,
                        logpsChosen,
                        logpsRejected,
                        dc,
                        dm,
                        dc < -tolerance && dm > tolerance);
        trajectory.add(o);
        return o;
    }

    /** Every point so far, oldest first. */
    public List<Observation> trajectory() {
        return List.copyOf(trajectory);
    }

    /** True when the flag is up at the latest point. */
    public boolean displaced() {
        return !trajectory.isEmpty() && trajectory.get(trajectory.size() - 1).displaced();
    }
}
