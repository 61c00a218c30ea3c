package dev.reward4j.core.data;

import dev.reward4j.core.util.Checks;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Sets each pair's Bradley-Terry margin from its measured preference strength (Secrets of RLHF II's
 * adaptive margin: clearly separated pairs are pushed further apart, ambiguous pairs are not):
 * {@code margin = min(scale * max(mean, 0), max)}. Train with BT on the pair's margin ({@code -log
 * sigmoid(r_c - r_r - m)}). Pairs without a measured strength keep their margin and are counted.
 *
 * <p>Reference: "Secrets of RLHF in Large Language Models Part II: Reward Modeling", arXiv
 * 2401.06080.
 *
 * @param scale margin per unit of mean strength, {@code >= 0}
 * @param max largest margin, {@code >= 0}
 */
public record AdaptiveMargin(double scale, double max) {
    /** Validates the parameters. */
    public AdaptiveMargin {
        Checks.argument(
                scale >= 0 && max >= 0 && Double.isFinite(scale) && Double.isFinite(max),
                () ->
                        "AdaptiveMargin: scale ("
                                + scale
                                + ") and max ("
                                + max
                                + "); expected finite values >= 0");
    }

    /**
     * The margin of a pair of this strength.
     *
     * @param s the strength in the pair's orientation
     * @return the margin
     */
    public double margin(PreferenceStrength s) {
        return Math.min(scale * Math.max(s.mean(), 0), max);
    }

    /**
     * Applies the margins.
     *
     * @param pairs the pairs
     * @param strengths strengths by pair id, in the pairs' orientation
     * @return the pairs with margins, the strengths and the counters ({@code changed} = pairs given
     *     a margin)
     */
    public Transformed apply(
            List<PreferencePair> pairs, Map<String, PreferenceStrength> strengths) {
        List<PreferencePair> out = new ArrayList<>(pairs.size());
        Map<String, PreferenceStrength> kept = new LinkedHashMap<>();
        long changed = 0;
        long unmeasured = 0;
        for (PreferencePair p : pairs) {
            PreferenceStrength s = strengths.get(p.id());
            if (s == null) {
                unmeasured++;
                out.add(p);
            } else {
                changed++;
                out.add(p.withMargin(margin(s)));
                kept.put(p.id(), s);
            }
        }
        return new Transformed(out, kept, new TransformCounters(pairs.size(), changed, unmeasured));
    }
}
