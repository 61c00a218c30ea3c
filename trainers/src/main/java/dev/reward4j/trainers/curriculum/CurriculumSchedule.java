package dev.reward4j.trainers.curriculum;

import dev.reward4j.core.util.Checks;
import java.util.Arrays;

/**
 * Which optimizer steps belong to which curriculum stage: stage {@code s} covers the steps {@code
 * (end[s-1], end[s]]} (1-based steps, {@code end[-1] = 0}).
 *
 * @param ends the last step of each stage, strictly increasing, the first {@code >= 1}
 */
public record CurriculumSchedule(long[] ends) {
    /** Validates and copies the stage ends. */
    public CurriculumSchedule {
        Checks.argument(
                ends != null && ends.length >= 1,
                "curriculum: a schedule needs at least one stage (got none)");
        ends = ends.clone();
        long previous = 0;
        for (int s = 0; s < ends.length; s++) {
            long e = ends[s];
            long p = previous;
            int stage = s;
            Checks.argument(
                    e > p,
                    () ->
                            "curriculum: stage "
                                    + stage
                                    + " ends at step "
                                    + e
                                    + " (after step "
                                    + p
                                    + "); expected every stage to have at least one step");
            previous = e;
        }
    }

    /**
     * {@code stages} stages sharing {@code totalSteps} evenly: stage {@code s} ends at \( \lfloor
     * (s+1) \cdot total / S \rfloor \).
     *
     * @param stages number of stages, {@code >= 1}
     * @param totalSteps optimizer steps of the run, {@code >= stages}
     */
    public static CurriculumSchedule even(int stages, long totalSteps) {
        Checks.argument(
                stages >= 1 && totalSteps >= stages,
                () ->
                        "curriculum: "
                                + stages
                                + " stages over "
                                + totalSteps
                                + " steps; expected at least one step per stage");
        long[] ends = new long[stages];
        for (int s = 0; s < stages; s++) {
            ends[s] = (s + 1) * totalSteps / stages;
        }
        return new CurriculumSchedule(ends);
    }

    /** Stages of {@code steps[s]} steps each, in order. */
    public static CurriculumSchedule ofSteps(long... steps) {
        long[] ends = new long[steps.length];
        long total = 0;
        for (int s = 0; s < steps.length; s++) {
            total += steps[s];
            ends[s] = total;
        }
        return new CurriculumSchedule(ends);
    }

    /** Number of stages. */
    public int stages() {
        return ends.length;
    }

    /** The last step of the last stage. */
    public long totalSteps() {
        return ends[ends.length - 1];
    }

    /**
     * The stage of optimizer step {@code step} (1-based); steps past the end are the last stage.
     */
    public int stageOf(long step) {
        for (int s = 0; s < ends.length; s++) {
            if (step <= ends[s]) {
                return s;
            }
        }
        return ends.length - 1;
    }

    /** The first optimizer step of stage {@code stage}. */
    public long firstStep(int stage) {
        return stage == 0 ? 1 : ends[stage - 1] + 1;
    }

    @Override
    public long[] ends() {
        return ends.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CurriculumSchedule c && Arrays.equals(ends, c.ends);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(ends);
    }

    @Override
    public String toString() {
        return "CurriculumSchedule" + Arrays.toString(ends);
    }
}
