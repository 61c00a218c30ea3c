package dev.reward4j.trainers.loop;

/**
 * A training step with host-side running state (e.g. BCO's running reward mean) that must be saved
 * with checkpoints for an exact resume.
 */
public interface StatefulStep {
    /** The state as numbers (saved in {@code trainer_state.json}). */
    double[] state();

    /** Restores {@link #state()}. */
    void restore(double[] state);
}
