/**
 * Training steps ({@link dev.reward4j.trainers.loop.TrainingStep}): each wires model forward passes
 * to a loss of {@code dev.reward4j.losses} for one batch type and reports (sum, count) metrics.
 * Chosen and rejected sequences always run in one concatenated forward (the batch already stacks
 * them). Losses are returned as sums over the micro-batch's units (weighted pairs, lists, ratings)
 * so that the loop can normalise once per optimizer step.
 *
 * <p>The pairwise reward model has a padded ({@link dev.reward4j.trainers.step.RewardPairsStep})
 * and a packed ({@link dev.reward4j.trainers.step.PackedRewardPairsStep}) layout; only the forward
 * differs, the loss and metrics of the {@code 2B} rewards are one shared piece of code.
 *
 * <p>Reference models run with grad mode off and their outputs are detached; a reference is always
 * explicit ({@code dev.reward4j.trainers.reference}: a frozen model or a digest-checked on-disk
 * cache), never the policy: with the policy as its own reference the DPO loss is stuck at log 2 and
 * the implicit rewards at 0.
 *
 * <p>Steps keep no arrays between micro-steps: everything they create is attached to the
 * micro-batch's manager and closed by the loop's scope. Host-side state (the BCO running mean)
 * lives in plain Java fields.
 */
package dev.reward4j.trainers.step;
