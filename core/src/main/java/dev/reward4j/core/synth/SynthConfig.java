package dev.reward4j.core.synth;

import dev.reward4j.core.util.Checks;
import java.util.List;

/**
 * Settings of the synthetic preference generator. Defaults live in {@link #defaults()} only.
 *
 * @param seed master seed; every example is a pure function of (seed, split, variant, index)
 * @param noise how labels are drawn from the ground truth
 * @param tasks task mix, drawn uniformly per example (a task may appear twice to double its weight)
 * @param desirableThreshold reward against which unpaired completions are labelled desirable
 */
public record SynthConfig(
        long seed, LabelNoise noise, List<SynthTask> tasks, double desirableThreshold) {
    /** Validates and copies. */
    public SynthConfig {
        Checks.argument(noise != null, "SynthConfig.noise: null; expected a LabelNoise");
        Checks.argument(
                tasks != null && !tasks.isEmpty(),
                "SynthConfig.tasks: empty; expected at least one task");
        tasks = List.copyOf(tasks);
        Checks.inClosedRange(
                desirableThreshold, 0, Judgement.MAX, "SynthConfig.desirableThreshold");
    }

    /**
     * Seed 42, temperature 0.5, flip rate 0.05, the three tasks at their defaults, desirable
     * threshold 2 (the middle of the reward range).
     */
    public static SynthConfig defaults() {
        return new SynthConfig(
                42,
                new LabelNoise(0.5, 0.05),
                List.of(
                        ArithmeticTask.defaults(),
                        ConstraintTask.defaults(),
                        ConsistencyTask.defaults()),
                2.0);
    }

    /** This config with another seed. */
    public SynthConfig withSeed(long value) {
        return new SynthConfig(value, noise, tasks, desirableThreshold);
    }

    /** This config with another Bradley-Terry temperature. */
    public SynthConfig withTemperature(double value) {
        return new SynthConfig(
                seed, new LabelNoise(value, noise.flipRate()), tasks, desirableThreshold);
    }

    /** This config with another flip-noise rate. */
    public SynthConfig withFlipRate(double value) {
        return new SynthConfig(
                seed, new LabelNoise(noise.temperature(), value), tasks, desirableThreshold);
    }

    /** This config with another task mix. */
    public SynthConfig withTasks(List<SynthTask> value) {
        return new SynthConfig(seed, noise, value, desirableThreshold);
    }

    /** This config with another desirable threshold. */
    public SynthConfig withDesirableThreshold(double value) {
        return new SynthConfig(seed, noise, tasks, value);
    }
}
