package dev.reward4j.trainers.loop;

import ai.djl.ndarray.NDArray;

/**
 * Scalar operands that are safe inside autograd.
 *
 * <p>DJL's {@code NDArray.mul(Number)} (and {@code div}, {@code pow}, {@code maximum} ...) wraps
 * the number with {@code torch::from_blob} over a direct buffer and closes that wrapper right after
 * the op; when autograd saved the scalar for backward, a garbage collection in between frees the
 * buffer and backward reads freed memory (garbage gradients, reproduced in {@code ScalarsTest} and
 * the losses module's garbage-collection test). A scalar cloned natively is owned by libtorch and
 * stays valid as long as the graph needs it.
 */
public final class Scalars {
    private Scalars() {}

    /**
     * A 0-d array of {@code value} with {@code like}'s dtype and device, attached to {@code like}'s
     * manager and owned by the engine. The value is rounded once to that dtype: a float64 operand
     * gets the exact double (the same semantics as {@code Ops.scalar} in core and {@code
     * Numerics.scalar} in losses). The double is created as a float64 array, cloned natively
     * ({@code duplicate()}; {@code toType} to the same dtype may alias the JVM buffer) and then
     * converted.
     *
     * @param like the operand whose dtype, device and manager the constant takes
     * @param value the constant
     * @return the 0-d constant
     */
    public static NDArray of(NDArray like, double value) {
        NDArray owned;
        try (NDArray host = like.getManager().create(value)) {
            owned = host.duplicate();
        }
        if (owned.getDataType() == like.getDataType()) {
            return owned;
        }
        NDArray converted = owned.toType(like.getDataType(), false);
        owned.close();
        return converted;
    }
}
