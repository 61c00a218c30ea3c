package dev.reward4j.core.transform;

import dev.reward4j.core.data.PreferencePair;
import java.util.Objects;

/**
 * A preference pair with its curriculum stage (0 = the first, easiest stage).
 *
 * @param pair the pair
 * @param stage its stage, {@code >= 0}
 * @param gap the rating gap {@code score(chosen) - score(rejected) > 0} that ordered it
 */
public record StagedPair(PreferencePair pair, int stage, double gap) {
    /** Validates the fields. */
    public StagedPair {
        Objects.requireNonNull(pair, "pair");
        if (stage < 0) {
            throw new IllegalArgumentException(
                    "StagedPair: stage (" + stage + ") of pair " + pair.id() + "; expected >= 0");
        }
        if (!(gap > 0) || !Double.isFinite(gap)) {
            throw new IllegalArgumentException(
                    "StagedPair: rating gap ("
                            + gap
                            + ") of pair "
                            + pair.id()
                            + "; expected a finite value > 0");
        }
    }
}
