package dev.reward4j.trainers.loop;

/**
 * Turns one micro-batch into a loss sum and metrics by running the model forward pass(es) and
 * calling the pure loss functions of {@code dev.reward4j.losses}. The only place where
 * reward-model, DPO, KTO and listwise training differ.
 *
 * @param <B> the batch type (e.g. {@code PairBatch})
 */
@FunctionalInterface
public interface Objective<B> {
    /**
     * Computes the loss of {@code batch}. In training the loop has a gradient collector open and
     * calls backward on {@link StepResult#loss()}; in evaluation grad mode is off.
     */
    StepResult compute(B batch, StepContext ctx);
}
