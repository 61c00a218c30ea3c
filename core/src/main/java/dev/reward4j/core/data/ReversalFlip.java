package dev.reward4j.core.data;

import dev.reward4j.core.util.Checks;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Flips the pairs an ensemble confidently reverses (Secrets of RLHF II: preference data with a
 * negative measured strength are likely mislabelled): a pair is flipped (chosen and rejected
 * exchanged) when its strength has {@code mean < 0} and {@code |mean| / std >= minConfidence}.
 * Pairs without a measured strength pass unchanged and are counted.
 *
 * <p>Reference: "Secrets of RLHF in Large Language Models Part II: Reward Modeling", arXiv
 * 2401.06080.
 *
 * @param minConfidence the z-score the reversal must reach, {@code >= 0} (0 flips every negative
 *     mean)
 */
public record ReversalFlip(double minConfidence) {
    /** Validates the threshold. */
    public ReversalFlip {
        Checks.argument(
                minConfidence >= 0 && !Double.isNaN(minConfidence),
                () -> "ReversalFlip: minConfidence (" + minConfidence + "); expected >= 0");
    }

    /**
     * Whether a pair of this strength is flipped.
     *
     * @param s the pair's strength
     * @return true when the ensemble confidently reverses it
     */
    public boolean flips(PreferenceStrength s) {
        return s.mean() < 0 && -s.zScore() >= minConfidence;
    }

    /**
     * Applies the flip.
     *
     * @param pairs the pairs
     * @param strengths measured strengths by pair id
     * @return the pairs, their strengths in the new orientation and the counters
     */
    public Transformed apply(
            List<PreferencePair> pairs, Map<String, PreferenceStrength> strengths) {
        List<PreferencePair> out = new ArrayList<>(pairs.size());
        Map<String, PreferenceStrength> oriented = new LinkedHashMap<>();
        long changed = 0;
        long unmeasured = 0;
        for (PreferencePair p : pairs) {
            PreferenceStrength s = strengths.get(p.id());
            if (s == null) {
                unmeasured++;
                out.add(p);
            } else if (flips(s)) {
                changed++;
                out.add(p.swapped());
                oriented.put(p.id(), s.reversed());
            } else {
                out.add(p);
                oriented.put(p.id(), s);
            }
        }
        return new Transformed(
                out, oriented, new TransformCounters(pairs.size(), changed, unmeasured));
    }
}
