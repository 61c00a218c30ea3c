package dev.reward4j.trainers.eval;

/**
 * The parts of the RewardBench v2 Ties score ({@code process_single_model} in RewardBench's {@code
 * scripts/run_v2.py}); see {@link RewardBenchV2} for the full rule.
 *
 * @param accRef accuracy over {@code ref:N} rows (0 when there are none)
 * @param accTied accuracy over {@code tied:N} rows (0 when there are none)
 * @param pref over prompts with both rows: fraction with {@code margin_tied > spread_tied} (0 when
 *     none)
 * @param prefHard fraction with {@code min(margin_ref, margin_tied) > spread_tied} (0 when none)
 * @param tieBreak mean of {@code tanh(min(margin_ref, margin_tied) / spread_tied - 1)}, NaN terms
 *     (0/0) as 0
 * @param refRows number of ref rows
 * @param tiedRows number of tied rows
 * @param pairedPrompts prompts having both a ref and a tied row
 * @param score {@code 0.30 accTied + 0.30 accRef + 0.20 pref + 0.20 prefHard + 0.01 tieBreak}
 */
public record TiesDetail(
        double accRef,
        double accTied,
        double pref,
        double prefHard,
        double tieBreak,
        int refRows,
        int tiedRows,
        int pairedPrompts,
        double score) {}
