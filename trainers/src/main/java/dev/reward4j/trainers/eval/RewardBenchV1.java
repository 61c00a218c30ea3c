package dev.reward4j.trainers.eval;

import dev.reward4j.core.util.Checks;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * RewardBench v1 scoring on already computed scores, as in RewardBench's {@code scripts/run_rm.py}
 * and {@code rewardbench/utils.py} (github.com/allenai/reward-bench): per pair 1 when {@code chosen
 * > rejected} (strict: ties are wrong); subset accuracy = mean over its pairs; section score =
 * weighted mean of the accuracies of the section's subsets present in the data (weights from the
 * {@link SectionMap}, officially example counts); overall = mean of the sections present weighted
 * by {@link SectionMap#sectionWeights()} (officially 2 for each of the four RewardBench sections
 * and 1 for Prior Sets, as the leaderboard's {@code analysis/get_benchmark_results.py}; without
 * prior sets that is the plain mean of the sections). Pure: no model, no I/O.
 *
 * <p>Deliberate differences from the official scripts: a section with no subset present is left out
 * of {@link V1Result#sections()} and of the overall ({@code calculate_scores_per_section} in {@code
 * rewardbench/utils.py} prints 0 for it, and {@code run_rm.py} would average that 0 in).
 */
public final class RewardBenchV1 {
    private RewardBenchV1() {}

    /** Scores v1 pairs; every row must have exactly one chosen and one rejected score. */
    public static V1Result score(List<RowScores> rows, SectionMap sectionMap) {
        Map<String, long[]> perSubset = new LinkedHashMap<>();
        for (RowScores r : rows) {
            Checks.argument(
                    r.chosen().length == 1 && r.rejected().length == 1,
                    () ->
                            "rewardbench v1: row '"
                                    + r.id()
                                    + "' has "
                                    + r.chosen().length
                                    + " chosen and "
                                    + r.rejected().length
                                    + " rejected scores; expected one each (use v2 scoring for"
                                    + " best-of-N rows)");
            long[] acc = perSubset.computeIfAbsent(r.subset(), k -> new long[2]);
            if (r.chosen()[0] > r.rejected()[0]) {
                acc[0]++;
            }
            acc[1]++;
        }
        List<SubsetScore> subsets = new ArrayList<>();
        Map<String, Double> accuracy = new LinkedHashMap<>();
        perSubset.forEach(
                (s, a) -> {
                    double v = (double) a[0] / a[1];
                    subsets.add(new SubsetScore(s, v, (int) a[1]));
                    accuracy.put(s, v);
                });
        Map<String, Double> sections = new LinkedHashMap<>();
        sectionMap
                .sections()
                .forEach(
                        (section, weights) -> {
                            double weighted = 0;
                            double total = 0;
                            for (Map.Entry<String, Double> w : weights.entrySet()) {
                                Double a = accuracy.get(w.getKey());
                                if (a != null) {
                                    weighted += a * w.getValue();
                                    total += w.getValue();
                                }
                            }
                            if (total > 0) {
                                sections.put(section, weighted / total);
                            }
                        });
        List<String> unmapped =
                accuracy.keySet().stream().filter(s -> sectionMap.sectionOf(s).isEmpty()).toList();
        double weightedSum = 0;
        double weightTotal = 0;
        for (Map.Entry<String, Double> s : sections.entrySet()) {
            double w = sectionMap.sectionWeights().get(s.getKey());
            weightedSum += w * s.getValue();
            weightTotal += w;
        }
        double overall = weightTotal > 0 ? weightedSum / weightTotal : Double.NaN;
        return new V1Result(subsets, sections, overall, unmapped);
    }
}
