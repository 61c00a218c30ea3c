/**
 * Training diagnostics of preference optimisation: the signs that DPO-family training lowers the
 * likelihood of the preferred response, over-optimises or fails to learn rankings.
 *
 * <ul>
 *   <li>{@link dev.reward4j.trainers.diagnostics.Ches}: the centered hidden embedding similarity of
 *       a pair (and its length-normalised form), which predicts likelihood displacement, and {@link
 *       dev.reward4j.trainers.diagnostics.ChesFilter}, which drops the pairs with the highest
 *       scores ("Unintentional Unalignment: Likelihood Displacement in Direct Preference
 *       Optimization", arXiv:2410.08847);
 *   <li>{@link dev.reward4j.trainers.diagnostics.DisplacementMonitor} and {@link
 *       dev.reward4j.trainers.diagnostics.DiagnosticsSink}: the chosen and rejected log-prob
 *       trajectories with a likelihood-displacement flag (the chosen log-prob falls while the
 *       margin rises);
 *   <li>top-k entropy and top-k probability mass of the policy over response tokens (over-
 *       optimisation indicators, "Understanding Likelihood Over-optimisation in Direct Alignment
 *       Algorithms", arXiv:2410.11677), from {@code DecoderModel.tokenStatistics};
 *   <li>{@link dev.reward4j.trainers.diagnostics.IdealizedRanking}: the ranking accuracy the
 *       optimal DPO/RLHF policy would reach ("Preference Learning Algorithms Do Not Learn
 *       Preference Rankings", arXiv:2405.19534), next to the policy's own ranking accuracy.
 * </ul>
 *
 * <p>{@link dev.reward4j.trainers.diagnostics.PairDiagnostics} computes the per-pair values on the
 * device inside a training step, from the forward the step already runs; the step reads them in the
 * one host copy it makes of its metrics, so diagnostics add no host synchronisation.
 */
package dev.reward4j.trainers.diagnostics;
