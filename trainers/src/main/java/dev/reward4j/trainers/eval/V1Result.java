package dev.reward4j.trainers.eval;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * RewardBench v1 result.
 *
 * @param subsets per-subset strict accuracy
 * @param sections section name to example-count-weighted mean of its subsets present in the data
 *     (sections with no subset present are left out)
 * @param overall mean of {@code sections} weighted by the section map's section weights (NaN when
 *     none is present)
 * @param unmappedSubsets subsets present in the data but in no section (scored, but outside the
 *     rollup)
 */
public record V1Result(
        List<SubsetScore> subsets,
        Map<String, Double> sections,
        double overall,
        List<String> unmappedSubsets)
        implements RewardBenchResult {
    /** Copies. */
    public V1Result {
        subsets = List.copyOf(subsets);
        sections = Collections.unmodifiableMap(new LinkedHashMap<>(sections));
        unmappedSubsets = List.copyOf(unmappedSubsets);
    }
}
