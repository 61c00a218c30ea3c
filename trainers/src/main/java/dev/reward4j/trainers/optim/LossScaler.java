package dev.reward4j.trainers.optim;

/**
 * Loss scaling for float16 training: the loop multiplies the loss by {@link #scale()} before
 * backward, unscales the gradients (see {@link GlobalNormClip#apply}) and asks {@link
 * #update(boolean)} whether to apply the update.
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
