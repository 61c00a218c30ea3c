package dev.reward4j.trainers.optim;

import dev.reward4j.core.util.Checks;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Dynamic loss scaling with the rules of {@code torch.amp.GradScaler}: on non-finite gradients the
 * step is skipped and the scale multiplied by {@code backoff}; after {@code growthInterval}
 * consecutive finite steps it is multiplied by {@code growth}. More than {@code
 * maxConsecutiveSkips} skips in a row fail the run, naming the step, instead of letting an fp16 run
 * continue on NaN or zero losses. Not thread-safe; the state (scale, counters) is saved with
 * checkpoints through {@link #state()}.
 */
public final class DynamicLossScaler implements LossScaler {
    private final double growth;
    private final double backoff;
    private final int growthInterval;
    private final int maxConsecutiveSkips;
    private double scale;
    private int goodSteps;
    private int consecutiveSkips;
    private long totalSkips;

    /**
     * Creates a scaler.
     *
     * @param initialScale first scale (torch: 65536)
     * @param growth growth factor &gt; 1 (torch: 2)
     * @param backoff back-off factor in (0, 1) (torch: 0.5)
     * @param growthInterval finite steps before growing (torch: 2000)
     * @param maxConsecutiveSkips skips in a row that fail the run
     */
    public DynamicLossScaler(
            double initialScale,
            double growth,
            double backoff,
            int growthInterval,
            int maxConsecutiveSkips) {
        Checks.positive(initialScale, "loss_scaler: initial_scale");
        Checks.argument(growth > 1, () -> "loss_scaler: growth must be > 1 (got " + growth + ")");
        Checks.argument(
                backoff > 0 && backoff < 1,
                () -> "loss_scaler: backoff must be in (0, 1) (got " + backoff + ")");
        Checks.positive(growthInterval, "loss_scaler: growth_interval");
        Checks.positive(maxConsecutiveSkips, "loss_scaler: max_consecutive_skips");
        this.scale = initialScale;
        this.growth = growth;
        this.backoff = backoff;
        this.growthInterval = growthInterval;
        this.maxConsecutiveSkips = maxConsecutiveSkips;
    }

    /** torch defaults (65536, 2, 0.5, 2000) and 20 skips in a row at most. */
    public static DynamicLossScaler defaults() {
        return new DynamicLossScaler(65536, 2, 0.5, 2000, 20);
    }

    @Override
    public double scale() {
        return scale;
    }

    @Override
    public Verdict update(boolean gradientsFinite) {
        if (!gradientsFinite) {
            scale *= backoff;
            goodSteps = 0;
            consecutiveSkips++;
            totalSkips++;
            return consecutiveSkips > maxConsecutiveSkips ? Verdict.FAIL : Verdict.SKIP;
        }
        consecutiveSkips = 0;
        if (++goodSteps == growthInterval) {
            scale *= growth;
            goodSteps = 0;
        }
        return Verdict.APPLY;
    }

    /** Number of skipped steps so far. */
    public long totalSkips() {
        return totalSkips;
    }

    /** Scale and counters, for checkpoints. */
    @Override
    public double[] state() {
        return new double[] {scale, goodSteps, consecutiveSkips, totalSkips};
    }

    /** Restores {@link #state()}. */
    @Override
    public void restore(double[] state) {
        Checks.argument(
                state.length == 4,
                () -> "loss_scaler: state has " + state.length + " values; expected 4");
        scale = state[0];
        goodSteps = (int) state[1];
        consecutiveSkips = (int) state[2];
        totalSkips = (long) state[3];
    }

    /** {@code loss_scale} (the current scale) and {@code skipped_steps} (skipped so far). */
    @Override
    public Map<String, Double> metrics() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("loss_scale", scale);
        m.put("skipped_steps", (double) totalSkips);
        return m;
    }
}
