package dev.reward4j.core.data;

import java.util.List;
import java.util.Map;

/**
 * The output of a strength-based data transform.
 *
 * @param pairs the transformed pairs, in input order
 * @param strengths the strengths in the pairs' new orientation (negated for flipped pairs)
 * @param counters what the transform did
 */
public record Transformed(
        List<PreferencePair> pairs,
        Map<String, PreferenceStrength> strengths,
        TransformCounters counters) {
    /** Copies the collections. */
    public Transformed {
        pairs = List.copyOf(pairs);
        strengths = Map.copyOf(strengths);
    }
}
