/**
 * Evaluation: held-out reward-model evaluation ({@link
 * dev.reward4j.trainers.eval.HeldOutEvaluator}; of a preference file in any pair format, scored by
 * the RewardBench scorer, {@link dev.reward4j.trainers.eval.HeldOutPairs}) and a
 * RewardBench-compatible local scorer (v1 pairs with section rollup, v2 best-of-N with the Ties
 * formula) that keeps score production ({@link dev.reward4j.trainers.eval.TextScorer}) apart from
 * pure scoring ({@link dev.reward4j.trainers.eval.RewardBenchV1}, {@link
 * dev.reward4j.trainers.eval.RewardBenchV2}).
 */
package dev.reward4j.trainers.eval;
