package dev.reward4j.trainers.ensemble;

import dev.reward4j.core.data.PreferenceStrength;
import java.util.List;

/**
 * Ensemble diagnostics of scored pairs.
 *
 * @param ids the pair ids
 * @param aggregateMargin aggregate reward of chosen minus aggregate reward of rejected
 * @param strength per pair, mean and std over members of the member reward differences
 * @param disagreement per pair, fraction of members whose reward difference has the opposite sign
 *     of the members' mean difference (0 = unanimous, up to 0.5)
 */
public record PairDiagnostics(
        List<String> ids,
        double[] aggregateMargin,
        List<PreferenceStrength> strength,
        double[] disagreement) {
    /** Copies the lists. */
    public PairDiagnostics {
        ids = List.copyOf(ids);
        strength = List.copyOf(strength);
    }

    /**
     * Per pair, the ensemble's uncertainty about the preference: the relative spread of the member
     * reward differences, \( u = \mathrm{std}(d) / (\mathrm{std}(d) + |ar d|) = 1 / (1 + |z|) \)
     * in {@code [0, 1]} (1 when every member difference is 0). Scale-free: a small mean with a
     * small spread (members that each barely prefer opposite sides, typical out of distribution) is
     * as uncertain as a large mean with a large spread, while the raw standard deviation grows with
     * the reward scale of confident pairs.
     *
     * @return one value per pair
     */
    public double[] uncertainty() {
        return strength.stream()
                .mapToDouble(
                        s ->
                                s.std() + Math.abs(s.mean()) == 0
                                        ? 1
                                        : s.std() / (s.std() + Math.abs(s.mean())))
                .toArray();
    }
}
