package dev.reward4j.trainers.optim;

import dev.reward4j.core.util.Checks;
import java.util.Map;

/**
 * Loss scaling for float16 training: the loop multiplies the loss by {@link #scale()} before
 * backward, unscales the gradients (see {@link GlobalNormClip#apply}) and asks {@link
 * #update(boolean)} whether to apply the update. A scaler with running state saves it with
 * checkpoints through {@link #state()} and gets it back through {@link #restore(double[])}, so the
 * loop never needs to know which scaler it runs.
 */
public interface LossScaler {

    /** What to do with the optimizer step after a backward pass. */
    enum Verdict {
        /** Gradients are finite: apply the update. */
        APPLY,
        /** Gradients overflowed under loss scaling: skip this update (the scale was lowered). */
        SKIP,
        /** Gradients are not finite and cannot be recovered: stop the run. */
        FAIL
    }

    /** The current loss multiplier. */
    double scale();

    /** Records whether the gradients of this step were finite and returns what to do. */
    Verdict update(boolean gradientsFinite);

    /** The running state as numbers (saved in {@code trainer_state.json}); empty = none. */
    default double[] state() {
        return new double[0];
    }

    /**
     * Restores {@link #state()}.
     *
     * @throws IllegalArgumentException when {@code state} does not fit this scaler (a stateless
     *     scaler accepts only an empty state)
     */
    default void restore(double[] state) {
        Checks.argument(
                state.length == 0,
                () ->
                        "loss_scaler: a checkpoint holds "
                                + state.length
                                + " loss-scaler values but this run has no loss scaling; expected"
                                + " the dtype (float16) the checkpoint was trained with");
    }

    /** Metrics the loop logs with every training record (e.g. {@code loss_scale}); empty = none. */
    default Map<String, Double> metrics() {
        return Map.of();
    }

    /** No scaling (float32): non-finite gradients fail the run. */
    static LossScaler none() {
        return NoScaling.INSTANCE;
    }

    /** Scale 1; non-finite gradients are fatal. */
    enum NoScaling implements LossScaler {
        /** The single instance. */
        INSTANCE;

        @Override
        public double scale() {
            return 1.0;
        }

        @Override
        public Verdict update(boolean gradientsFinite) {
            return gradientsFinite ? Verdict.APPLY : Verdict.FAIL;
        }
    }
}
