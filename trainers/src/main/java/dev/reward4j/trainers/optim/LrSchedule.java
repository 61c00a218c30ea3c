package dev.reward4j.trainers.optim;

import dev.reward4j.core.util.Checks;

/**
 * Learning rate as a function of the optimizer step. Step numbers are 1-based: {@code at(1)} is the
 * rate of the first update (so a warm-up never wastes an update at rate 0, unlike an HF scheduler
 * stepped after the optimizer).
 *
 * <p>The interface is open: any function of the step is a schedule, so a lambda works ({@code
 * LrSchedule s = step -> 1e-4 / Math.sqrt(step);}). The three built-in variants warm up linearly
 * over {@code warmupSteps} updates ({@code at(s) = peak * s / warmupSteps} for {@code s <=
 * warmupSteps}) and then decay to {@code floor = peak * minLrRatio} at {@code totalSteps} (and stay
 * there).
 */
@FunctionalInterface
public interface LrSchedule {

    /** The learning rate of update number {@code step} (1-based). */
    double at(long step);

    /**
     * Peak rate after warm-up. The built-in variants return their {@code peak}; the default is the
     * rate of the first update, which is the peak of any schedule without warm-up.
     */
    default double peak() {
        return at(1);
    }

    /** Constant rate after warm-up. */
    record Constant(double peak, long warmupSteps) implements LrSchedule {
        /** Validates the arguments. */
        public Constant {
            Checks.nonNegative(peak, "schedule: peak lr");
            Checks.argument(
                    warmupSteps >= 0,
                    () -> "schedule: warmup_steps must be >= 0 (got " + warmupSteps + ")");
        }

        @Override
        public double at(long step) {
            return Warmup.rate(peak, warmupSteps, step, peak);
        }
    }

    /**
     * Linear decay from {@code peak} to {@code peak * minLrRatio} between the end of warm-up and
     * {@code totalSteps}.
     */
    record Linear(double peak, long warmupSteps, long totalSteps, double minLrRatio)
            implements LrSchedule {
        /** Validates the arguments. */
        public Linear {
            Warmup.validate(peak, warmupSteps, totalSteps, minLrRatio);
        }

        @Override
        public double at(long step) {
            double floor = peak * minLrRatio;
            double decayed =
                    floor + (peak - floor) * (1 - Warmup.progress(warmupSteps, totalSteps, step));
            return Warmup.rate(peak, warmupSteps, step, decayed);
        }
    }

    /**
     * Half-cosine decay from {@code peak} to {@code peak * minLrRatio} between the end of warm-up
     * and {@code totalSteps}.
     */
    record Cosine(double peak, long warmupSteps, long totalSteps, double minLrRatio)
            implements LrSchedule {
        /** Validates the arguments. */
        public Cosine {
            Warmup.validate(peak, warmupSteps, totalSteps, minLrRatio);
        }

        @Override
        public double at(long step) {
            double floor = peak * minLrRatio;
            double p = Warmup.progress(warmupSteps, totalSteps, step);
            double decayed = floor + (peak - floor) * 0.5 * (1 + Math.cos(Math.PI * p));
            return Warmup.rate(peak, warmupSteps, step, decayed);
        }
    }

    /** Shared warm-up arithmetic (package-private helper). */
    final class Warmup {
        private Warmup() {}

        static void validate(double peak, long warmupSteps, long totalSteps, double minLrRatio) {
            Checks.nonNegative(peak, "schedule: peak lr");
            Checks.argument(
                    warmupSteps >= 0,
                    () -> "schedule: warmup_steps must be >= 0 (got " + warmupSteps + ")");
            Checks.argument(
                    totalSteps > warmupSteps,
                    () ->
                            "schedule: total_steps ("
                                    + totalSteps
                                    + ") must be > warmup_steps ("
                                    + warmupSteps
                                    + ")");
            Checks.inClosedRange(minLrRatio, 0, 1, "schedule: min_lr_ratio");
        }

        static double rate(double peak, long warmupSteps, long step, double afterWarmup) {
            Checks.argument(
                    step >= 1, () -> "schedule: step numbers are 1-based (got " + step + ")");
            return step <= warmupSteps ? peak * step / warmupSteps : afterWarmup;
        }

        /** Fraction of the decay phase done at {@code step}, clamped to [0, 1]. */
        static double progress(long warmupSteps, long totalSteps, long step) {
            double p = (double) (step - warmupSteps) / (totalSteps - warmupSteps);
            return Math.max(0, Math.min(1, p));
        }
    }
}
