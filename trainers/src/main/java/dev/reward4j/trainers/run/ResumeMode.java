package dev.reward4j.trainers.run;

import java.util.Locale;

/** When a {@link TrainRun} continues the run recorded in its output directory. */
public enum ResumeMode {
    /**
     * Resume from the newest checkpoint when the recorded run is the same run ({@link RunIdentity}
     * equal); stop before any work with the differences otherwise. A finished run is left as it is.
     */
    AUTO,
    /**
     * Resume from the newest checkpoint even when the configuration differs (a deliberate change,
     * such as a longer run); the differences are printed.
     */
    FORCE,
    /** Never resume: a directory that already holds a run is an error. */
    NEVER;

    /** The option value: {@code auto}, {@code force} or {@code never}. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@link #key()}; anything else is an {@link IllegalArgumentException}. */
    public static ResumeMode parse(String key) {
        for (ResumeMode m : values()) {
            if (m.key().equals(key)) {
                return m;
            }
        }
        throw new IllegalArgumentException(
                "resume: expected one of [auto, force, never] (got '" + key + "')");
    }
}
