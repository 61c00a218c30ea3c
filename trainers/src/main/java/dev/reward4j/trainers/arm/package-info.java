/**
 * Autoregressive reward models (GenARM): a language model whose summed token log-probs, scaled by
 * \( \beta_r \), are the reward of a response, trained with Bradley-Terry on preference pairs
 * ({@link dev.reward4j.trainers.arm.AutoregressiveRewardPairsStep}); scoring returns sequence
 * rewards and next-token rewards for partial responses, and combines them with a base model's
 * next-token log-probs for reward-guided decoding ({@link
 * dev.reward4j.trainers.arm.AutoregressiveRewardScorer}).
 *
 * <p>Reference: "GenARM: Reward Guided Generation with Autoregressive Reward Model for Test-time
 * Alignment", arXiv 2410.08193.
 */
package dev.reward4j.trainers.arm;
