/**
 * The training loop: {@link dev.reward4j.trainers.loop.TrainLoop} reads top to bottom (schedule,
 * micro-steps with backward, unscale and clip, optimizer step, metrics, log, evaluation,
 * checkpoint) and holds no objective-specific branch. Objectives ({@link
 * dev.reward4j.trainers.loop.TrainingStep}) turn one micro-batch into a summed loss and (sum,
 * count) metrics; a {@link dev.reward4j.trainers.loop.BatchSource} yields micro-batches from a
 * resumable data position.
 *
 * <p>Memory: each micro-step runs in a sub-manager of the model manager, with an {@code NDScope}
 * around forward and backward only; the optimizer update runs outside any scope (engine notes §7).
 */
package dev.reward4j.trainers.loop;
