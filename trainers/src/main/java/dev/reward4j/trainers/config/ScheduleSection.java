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
 */
public record ScheduleSection(String type, long warmupSteps, double minLrRatio) {
    static final Set<String> TYPES = new TreeSet<>(Set.of("constant", "linear", "cosine"));

    /** Validates the values. */
    public ScheduleSection {
        Require.oneOf(type, TYPES, "type");
        Require.atLeast(warmupSteps, 0, "warmup_steps");
        Require.unitClosed(minLrRatio, "min_lr_ratio");
    }

    /** Cosine, no warm-up, decays to 0. */
    public static ScheduleSection defaults() {
        return new ScheduleSection("cosine", 0, 0.0);
    }

    /** The schedule for peak rate {@code lr} over {@code totalSteps} updates. */
    public LrSchedule toSchedule(double lr, long totalSteps) {
        if (!type.equals("constant") && totalSteps <= warmupSteps) {
            throw new ConfigException(
                    "schedule.warmup_steps: expected fewer than train.max_steps ("
                            + totalSteps
                            + ") (got "
                            + warmupSteps
                            + ")");
        }
        return switch (type) {
            case "constant" -> new LrSchedule.Constant(lr, warmupSteps);
            case "linear" -> new LrSchedule.Linear(lr, warmupSteps, totalSteps, minLrRatio);
            default -> new LrSchedule.Cosine(lr, warmupSteps, totalSteps, minLrRatio);
        };
    }
}
