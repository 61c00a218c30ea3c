/**
 * Reward-model ensembles: training K members from different seeds or base checkpoints ({@link
 * dev.reward4j.trainers.ensemble.EnsembleTrainer}) or K heads on one shared backbone ({@link
 * dev.reward4j.trainers.ensemble.EnsembleHeadsStep}); scoring with an aggregate, a per-example
 * uncertainty and member disagreement ({@link dev.reward4j.trainers.ensemble.EnsembleScorer}); and
 * the ensemble-measured preference strength that drives the Secrets-of-RLHF-II data tools ({@code
 * dev.reward4j.core.data.ReversalFlip}, {@code dev.reward4j.core.data.AdaptiveMargin}).
 *
 * <p>References: "Helping or Herding? Reward Model Ensembles Mitigate but do not Eliminate Reward
 * Hacking", arXiv 2312.09244; "Secrets of RLHF in Large Language Models Part II: Reward Modeling",
 * arXiv 2401.06080.
 */
package dev.reward4j.trainers.ensemble;
