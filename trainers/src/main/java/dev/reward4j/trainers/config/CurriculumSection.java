package dev.reward4j.trainers.config;

import dev.reward4j.core.data.UltraFeedbackPairs.Pairing;
import dev.reward4j.core.transform.CurryCurriculum;
import dev.reward4j.trainers.curriculum.CurriculumSchedule;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code curriculum:} staged training. {@code type: curry} is Curry-DPO: the rated responses of
 * {@code data.format} (a ranked-list format, e.g. {@code ultrafeedback-ranked}) become preference
 * pairs ordered easy to hard by rating gap and split into {@code stages}; each stage trains {@code
 * stage_steps} optimizer steps (default: {@code train.max_steps} shared evenly) and the frozen
 * reference becomes the policy at the start of every stage after the first. Only for the pairwise
 * policy objectives with a reference (checked by {@link RunConfig}).
 *
 * @param type {@code none} (default) or {@code curry}
 * @param stages number of stages, {@code >= 1}
 * @param pairing {@code best-vs-rest} (the best response against each other one, the paper's pairs)
 *     or {@code all-pairs}
 * @param stageSteps optimizer steps per stage; null = {@code train.max_steps / stages} (the last
 *     stages take the remainder)
 */
public record CurriculumSection(String type, int stages, String pairing, Long stageSteps) {
    /** No curriculum. */
    public static final String NONE = "none";

    /** Curry-DPO. */
    public static final String CURRY = "curry";

    static final Set<String> TYPES = new TreeSet<>(Set.of(NONE, CURRY));
    static final Set<String> PAIRINGS = new TreeSet<>(Set.of("best-vs-rest", "all-pairs"));

    /** Validates the values. */
    public CurriculumSection {
        Require.oneOf(type, TYPES, "type");
        Require.atLeast(stages, 1, "stages");
        Require.oneOf(pairing, PAIRINGS, "pairing");
        if (stageSteps != null) {
            Require.atLeast(stageSteps, 1, "stage_steps");
        }
    }

    /** No curriculum; for {@code curry}: 3 stages, best versus rest, steps shared evenly. */
    public static CurriculumSection defaults() {
        return new CurriculumSection(NONE, 3, "best-vs-rest", null);
    }

    /** True for a staged curriculum. */
    public boolean enabled() {
        return !type.equals(NONE);
    }

    /** The pairs of the curriculum. */
    public CurryCurriculum curry() {
        return new CurryCurriculum(
                pairing.equals("all-pairs") ? Pairing.ALL_PAIRS : Pairing.BEST_VS_REST,
                stages,
                false);
    }

    /**
     * The stage of every optimizer step.
     *
     * @param maxSteps {@code train.max_steps}
     * @throws ConfigException when the stages do not fit {@code maxSteps}
     */
    public CurriculumSchedule schedule(long maxSteps) {
        if (stageSteps == null) {
            if (maxSteps < stages) {
                throw new ConfigException(
                        "curriculum.stages: expected at most train.max_steps ("
                                + maxSteps
                                + ") stages (got "
                                + stages
                                + "); every stage needs a step");
            }
            return CurriculumSchedule.even(stages, maxSteps);
        }
        long total = stageSteps * stages;
        if (total != maxSteps) {
            throw new ConfigException(
                    "curriculum.stage_steps: "
                            + stages
                            + " stages of "
                            + stageSteps
                            + " steps make "
                            + total
                            + " steps but train.max_steps is "
                            + maxSteps
                            + "; expected stage_steps * stages = train.max_steps (or leave"
                            + " stage_steps unset)");
        }
        long[] steps = new long[stages];
        java.util.Arrays.fill(steps, stageSteps);
        return CurriculumSchedule.ofSteps(steps);
    }
}
