package dev.reward4j.trainers.eval;

import java.util.List;

/** Which RewardBench scoring applies. */
public enum BenchVersion {
    /** v1: pairs, strict comparison, section rollup. */
    V1,
    /** v2: best-of-N with ties scored 1/k, the Ties subset formula, unweighted subset mean. */
    V2;

    /** V1 when every row is in pair form (string chosen and rejected), else V2. */
    public static BenchVersion detect(List<BenchRow> rows) {
        return rows.stream().allMatch(BenchRow::pairwise) ? V1 : V2;
    }
}
