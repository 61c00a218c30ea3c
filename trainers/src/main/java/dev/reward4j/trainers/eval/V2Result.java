package dev.reward4j.trainers.eval;

import java.util.List;
import java.util.Optional;

/**
 * RewardBench v2 result.
 *
 * @param subsets per-subset scores (best-of-N with ties scored 1/k; the Ties subset by its own
 *     formula)
 * @param ties the parts of the Ties score when the data has a {@code Ties} subset
 * @param overall unweighted mean of the subset scores
 */
public record V2Result(List<SubsetScore> subsets, Optional<TiesDetail> ties, double overall)
        implements RewardBenchResult {
    /** Copies. */
    public V2Result {
        subsets = List.copyOf(subsets);
    }
}
