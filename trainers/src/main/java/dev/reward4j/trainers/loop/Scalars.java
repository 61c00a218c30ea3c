package dev.reward4j.trainers.loop;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Scalar operands that are safe inside autograd.
 *
 * <p>DJL's {@code NDArray.mul(Number)} (and {@code div}, {@code pow}, {@code maximum} ...) wraps
 * the number with {@code torch::from_blob} over a direct buffer and closes that wrapper right after
 * the op; when autograd saved the scalar for backward, a garbage collection in between frees the
 * buffer and backward reads freed memory (garbage gradients, reproduced in {@code ScalarsTest} and
 * the losses module's garbage-collection test). A scalar made by {@code full} is owned by libtorch
 * and stays valid as long as the graph needs it.
 */
public final class Scalars {
    private Scalars() {}

    /**
     * A 0-d array of {@code value} with {@code like}'s dtype and device, attached to {@code like}'s
     * manager.
     */
    public static NDArray of(NDArray like, double value) {
        return like.getManager().full(new Shape(), (float) value, like.getDataType());
    }
}
