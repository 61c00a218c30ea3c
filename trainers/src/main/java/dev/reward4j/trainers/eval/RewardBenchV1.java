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
 * {@link SectionMap}, officially example counts); overall = mean of the sections present. Pure: no
 * model, no I/O.
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
        double overall =
                sections.values().stream()
                        .mapToDouble(Double::doubleValue)
                        .average()
                        .orElse(Double.NaN);
        return new V1Result(subsets, sections, overall, unmapped);
    }
}
