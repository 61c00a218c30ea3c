package dev.reward4j.trainers.loop;

/**
 * A training step with host-side running state (e.g. BCO's running reward mean) that must be saved
 * with checkpoints for an exact resume.
 *
 * @deprecated {@link TrainingStep} itself has {@link TrainingStep#state()} and {@link
 *     TrainingStep#restore(double[])} now, and the loop uses only those; a class implementing both
 *     interfaces keeps working (its methods override the defaults). Kept for source compatibility.
 */
@Deprecated
public interface StatefulStep {
    /** The state as numbers (saved in {@code trainer_state.json}). */
    double[] state();

    /** Restores {@link #state()}. */
    void restore(double[] state);
}
