/**
 * Optimization parts owned by the training loop: {@link dev.reward4j.trainers.optim.AdamW} with the
 * numerics of {@code torch.optim.AdamW} and name-based parameter groups, learning-rate schedules,
 * global-norm gradient clipping and dynamic loss scaling for float16.
 *
 * <p>Optimizer state lives in a manager owned by the optimizer (a sub-manager of the one the loop
 * passes in), created eagerly and never inside an {@code NDScope}. Updates run with grad mode off
 * and zero the gradients themselves.
 */
package dev.reward4j.trainers.optim;
