package dev.reward4j.trainers.loop;

/**
 * A training step: turns one micro-batch into a loss sum and metrics by running the model forward
 * pass(es) and calling the pure loss functions of {@code dev.reward4j.losses}. The only place where
 * reward-model, DPO, KTO and listwise training differ.
 *
 * <p>Names: an <em>objective</em> is the loss variant (the sealed records of {@code
 * dev.reward4j.losses}, chosen by {@code objective.type} in a configuration); a training step
 * applies one objective to a model and a batch type.
 *
 * @param <B> the batch type (e.g. {@code PairBatch})
 */
@FunctionalInterface
public interface TrainingStep<B> {
    /**
     * Computes the loss of {@code batch}. In training the loop has a gradient collector open and
     * calls backward on {@link StepResult#loss()}; in evaluation grad mode is off.
     */
    StepResult compute(B batch, StepContext ctx);
}
