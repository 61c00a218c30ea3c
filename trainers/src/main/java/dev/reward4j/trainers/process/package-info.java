/**
 * Process (step-level) reward models: per-step binary cross-entropy at the step separators during
 * training ({@link dev.reward4j.trainers.process.ProcessRewardStep}) and scoring that returns
 * per-step rewards with {@code min}, {@code last} and {@code product} aggregation ({@link
 * dev.reward4j.trainers.process.ProcessRewardScorer}).
 *
 * <p>References: "Math-Shepherd: Verify and Reinforce LLMs Step-by-step without Human Annotations",
 * arXiv 2312.08935; "What Are Step-Level Reward Models Rewarding? Counterintuitive Findings from
 * MCTS-boosted Mathematical Reasoning", arXiv 2412.15904.
 */
package dev.reward4j.trainers.process;
