/**
 * Preference objectives as pure, static tensor functions on DJL {@link ai.djl.ndarray.NDArray}s.
 *
 * <p>Families (one file each):
 *
 * <ul>
 *   <li>{@link dev.reward4j.losses.RewardModelLosses}: Bradley-Terry family on scalar rewards
 *       (objectives in {@link dev.reward4j.losses.RewardModelObjective}) and masked multi-attribute
 *       regression.
 *   <li>{@link dev.reward4j.losses.PairwisePolicyLosses}: DPO family on summed sequence log-probs
 *       (objectives in {@link dev.reward4j.losses.PairwisePolicyObjective}).
 *   <li>{@link dev.reward4j.losses.UnpairedLosses}: KTO and BCO (objectives in {@link
 *       dev.reward4j.losses.UnpairedObjective}, BCO state in {@link dev.reward4j.losses.BcoState}).
 *   <li>{@link dev.reward4j.losses.ListwiseLosses}: Plackett-Luce, ListNet, LiPO-lambda, PRO and
 *       all-pairs BT over masked lists (objectives in {@link
 *       dev.reward4j.losses.ListwiseObjective}).
 *   <li>Research reward models: {@link dev.reward4j.losses.PreferenceEmbeddingLosses} (general
 *       preference model on preference embeddings), {@link dev.reward4j.losses.MixtureLosses}
 *       (mixtures of BT heads with a router, responsibility-weighted BT for EM), {@link
 *       dev.reward4j.losses.IdealPointLosses} (PAL-A ideal points), {@link
 *       dev.reward4j.losses.StepLosses} (process reward models) and {@link
 *       dev.reward4j.losses.AutoregressiveRewardLosses} (GenARM).
 * </ul>
 *
 * <p>Common contract: inputs are batch-first and never mutated; every result is attached to the
 * manager of the first array input named in the method Javadoc; masks and example weights are
 * constants (not differentiated); {@link dev.reward4j.losses.Reduction} follows the optax contract
 * ({@code sum(NONE) == SUM}, a fully masked {@code MEAN} is 0 with zero gradient); diagnostic
 * arrays in the output records are detached from the autograd graph. The package depends on the DJL
 * {@code api} artifact only.
 */
package dev.reward4j.losses;
