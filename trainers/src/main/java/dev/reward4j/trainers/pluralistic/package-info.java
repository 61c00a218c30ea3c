/**
 * Pluralistic reward models: populations whose members prefer different things.
 *
 * <ul>
 *   <li>MiCRo-style mixtures of K Bradley-Terry heads with a prompt router ({@link
 *       dev.reward4j.trainers.pluralistic.MixturePairsStep}), optionally with a learned per-user
 *       routing bias ({@link dev.reward4j.trainers.pluralistic.UserRoutedMixtureStep}) that a new
 *       user gets from a few comparisons ({@link dev.reward4j.trainers.pluralistic.FewShotFit}).
 *   <li>MaxMin-RLHF's EM clustering of users into K preference clusters with one head each ({@link
 *       dev.reward4j.trainers.pluralistic.MaxMinEm}).
 *   <li>PAL-A ideal points: user weights on a simplex over K shared prototypes, distance-based
 *       preference ({@link dev.reward4j.trainers.pluralistic.IdealPointPairsStep}), with few-shot
 *       fitting of a new user's weights while everything else stays frozen.
 * </ul>
 *
 * <p>References: "MiCRo: Mixture Modeling and Context-aware Routing for Personalized Preference
 * Learning", arXiv 2505.24846; "MaxMin-RLHF: Towards Equitable Alignment of Large Language Models
 * with Diverse Human Preferences", arXiv 2402.08925; "PAL: Pluralistic Alignment Framework for
 * Learning from Heterogeneous Preferences", arXiv 2406.08469.
 */
package dev.reward4j.trainers.pluralistic;
