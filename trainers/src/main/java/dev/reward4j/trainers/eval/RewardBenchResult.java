package dev.reward4j.trainers.eval;

import java.util.List;

/** The result of a RewardBench-compatible scoring: per-subset scores and an overall score. */
public sealed interface RewardBenchResult permits V1Result, V2Result {
    /** Per-subset scores in order of first appearance in the data. */
    List<SubsetScore> subsets();

    /** The overall score (v1: mean of the sections present; v2: unweighted mean of the subsets). */
    double overall();
}
