package dev.reward4j.trainers.loop;

import dev.reward4j.core.util.Checks;

/**
 * A training step: turns one micro-batch into a loss sum and metrics by running the model forward
 * pass(es) and calling the pure loss functions of {@code dev.reward4j.losses}. The only place where
 * reward-model, DPO, KTO and listwise training differ.
 *
 * <p>Names: an <em>objective</em> is the loss variant (the sealed records of {@code
 * dev.reward4j.losses}, chosen by {@code objective.type} in a configuration); a training step
 * applies one objective to a model and a batch type.
 *
 * <p>A step with host-side running state (e.g. BCO's running reward mean) returns it from {@link
 * #state()} and takes it back in {@link #restore(double[])}: the loop saves it with every
 * checkpoint, so a resumed run continues exactly. Most steps have none (the defaults).
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

    /** The running state as numbers (saved in {@code trainer_state.json}); empty = none. */
    default double[] state() {
        return new double[0];
    }

    /**
     * Restores {@link #state()} on resume.
     *
     * @throws IllegalArgumentException when {@code state} does not fit this step (a stateless step
     *     accepts only an empty state)
     */
    default void restore(double[] state) {
        Checks.argument(
                state.length == 0,
                () ->
                        "train: a checkpoint holds "
                                + state.length
                                + " values of training-step state but this step keeps none;"
                                + " expected a checkpoint of the same objective");
    }
}
