package dev.reward4j.trainers.config;

import dev.reward4j.trainers.optim.LrSchedule;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code schedule:} learning-rate schedule.
 *
 * @param type {@code constant}, {@code linear} or {@code cosine}
 * @param warmupSteps linear warm-up updates
 * @param minLrRatio floor as a fraction of the peak rate (linear, cosine)
 * @param warmupRatio warm-up as a fraction of {@code train.max_steps}, or null: {@code warmup_steps
 *     = ceil(warmup_ratio x max_steps)} (transformers' rule), resolved with {@code max_steps}.
 *     Giving both {@code warmup_ratio} and a {@code warmup_steps} above 0 is an error
 */
public record ScheduleSection(
        String type, long warmupSteps, double minLrRatio, Double warmupRatio) {
    static final Set<String> TYPES = new TreeSet<>(Set.of("constant", "linear", "cosine"));

    /** Validates the values. */
    public ScheduleSection {
        Require.oneOf(type, TYPES, "type");
        Require.atLeast(warmupSteps, 0, "warmup_steps");
        Require.unitClosed(minLrRatio, "min_lr_ratio");
        if (warmupRatio != null) {
            Require.unitOpen(warmupRatio, "warmup_ratio");
        }
    }

    /** A section without a warm-up ratio. */
    public ScheduleSection(String type, long warmupSteps, double minLrRatio) {
        this(type, warmupSteps, minLrRatio, null);
    }

    /** Cosine, no warm-up, decays to 0. */
    public static ScheduleSection defaults() {
        return new ScheduleSection("cosine", 0, 0.0);
    }

    /**
     * The warm-up steps for a run of {@code totalSteps}: {@code ceil(warmup_ratio x totalSteps)}
     * when {@code warmup_ratio} is set, else {@code warmup_steps}.
     */
    public long warmupFor(long totalSteps) {
        return warmupRatio == null ? warmupSteps : (long) Math.ceil(warmupRatio * totalSteps);
    }

    /** This section with {@code warmup_steps} replaced (e.g. resolved from the ratio). */
    public ScheduleSection withWarmupSteps(long n) {
        return new ScheduleSection(type, n, minLrRatio, warmupRatio);
    }

    /** The schedule for peak rate {@code lr} over {@code totalSteps} updates. */
    public LrSchedule toSchedule(double lr, long totalSteps) {
        long warmup = warmupFor(totalSteps);
        if (!type.equals("constant") && totalSteps <= warmup) {
            throw new ConfigException(
                    "schedule.warmup_steps: expected fewer than train.max_steps ("
                            + totalSteps
                            + ") (got "
                            + warmup
                            + (warmupRatio == null ? "" : " from warmup_ratio " + warmupRatio)
                            + ")");
        }
        return switch (type) {
            case "constant" -> new LrSchedule.Constant(lr, warmup);
            case "linear" -> new LrSchedule.Linear(lr, warmup, totalSteps, minLrRatio);
            default -> new LrSchedule.Cosine(lr, warmup, totalSteps, minLrRatio);
        };
    }
}
