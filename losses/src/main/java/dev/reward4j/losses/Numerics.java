package dev.reward4j.losses;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Activation;

/** Package-private numerically stable building blocks shared by the loss families. */
final class Numerics {
    /**
     * The finite "minus infinity" used for additive masks (house rule: never {@code -Infinity},
     * which turns into NaN through {@code 0 * inf} in backward).
     */
    static final double MASKED = -Float.MAX_VALUE;

    private Numerics() {}

    /**
     * A 0-dimensional constant with the dtype of {@code like}, attached to its manager, whose
     * memory is owned by the engine.
     *
     * <p>Why: on DJL 0.35.1 / PyTorch CPU, {@code x.mul(2.0)} (any {@code NDArray op(Number)})
     * wraps the scalar in a tensor created with {@code from_blob} over a JVM direct buffer, uses it
     * and closes it. Autograd keeps that tensor for backward (e.g. to multiply the incoming
     * gradient), but the buffer is freed by the next garbage collection, so the gradient is
     * computed from freed memory (observed: {@code d(0.5 x)/dx = 1e-314} after a {@code
     * System.gc()} between forward and backward). Every constant in this package therefore goes
     * through this method, which copies the scalar into engine-owned memory ({@code duplicate()}, a
     * native clone: {@code toType} to the same dtype returns an alias even with {@code copy =
     * true}). Never use {@code op(Number)} on a differentiable path.
     *
     * <p>The value is rounded once to the dtype of {@code like} (a float64 operand gets the exact
     * double), the same semantics as {@code Ops.scalar} in core and {@code Scalars.of} in trainers.
     */
    static NDArray scalar(NDArray like, double value) {
        // duplicate() is a native clone; toType(sameType, true) would alias the JVM buffer
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

    /** libtorch softplus (exact {@code log(1 + e^x)}, linear above 20). */
    static NDArray softPlus(NDArray x) {
        return Activation.softPlus(x);
    }

    /** Logistic sigmoid. */
    static NDArray sigmoid(NDArray x) {
        return Activation.sigmoid(x);
    }

    /** {@code max(x, 0)}. */
    static NDArray relu(NDArray x) {
        return Activation.relu(x);
    }

    /** \( \log\sigma(x) = -\mathrm{softplus}(-x) \). */
    static NDArray logSigmoid(NDArray x) {
        return softPlus(x.neg()).neg();
    }

    /** {@code -log sigmoid(x) = softplus(-x)}. */
    static NDArray negLogSigmoid(NDArray x) {
        return softPlus(x.neg());
    }

    /**
     * {@code count + [count == 0]}: a constant denominator that is never 0, so that {@code sum /
     * nonZero(count)} is 0 (not NaN) with zero gradient over an empty mask.
     */
    static NDArray nonZero(NDArray count) {
        NDArray c = count.stopGradient();
        return c.add(c.eq(0).toType(c.getDataType(), false));
    }

    /** {@code x / max(n, 1)} for non-negative counts n (constants). */
    static NDArray divByCount(NDArray x, NDArray count) {
        NDArray c = count.stopGradient();
        return x.div(c.maximum(scalar(c, 1)));
    }

    /** Converts a boolean/integer/float array to the floating dtype {@code like} (a constant). */
    static NDArray asFloat(NDArray a, DataType like) {
        return a.getDataType() == like ? a.stopGradient() : a.toType(like, false);
    }

    /**
     * Stable {@code log(1 - exp(x))} for {@code x < 0}, via {@code e^x - 1 = 2t/(1 - t)} with
     * {@code t = tanh(x/2)}: {@code log(-2t) - log(1 - t)}. Exact near 0 (no cancellation) and 0
     * for {@code x -> -inf}.
     */
    static NDArray log1mExp(NDArray x) {
        NDArray t = x.div(scalar(x, 2)).tanh();
        return t.mul(scalar(x, -2)).log().sub(t.neg().add(scalar(x, 1)).log());
    }

    /**
     * Masked log-sum-exp over the last axis: \( \log\sum_j M_j e^{x_j} \) with max subtraction and
     * a finite additive mask. Rows with no valid entry return a finite (meaningless) value that the
     * caller multiplies by 0.
     *
     * @param x values, any shape with last axis J
     * @param mask 0/1 constant of the same shape
     * @param axis the reduced axis (positive)
     */
    static NDArray maskedLogSumExp(NDArray x, NDArray mask, int axis) {
        NDArray z = x.add(mask.sub(scalar(x, 1)).mul(scalar(x, maskMagnitude(x.getDataType()))));
        NDArray max = z.max(new int[] {axis}, true).stopGradient();
        return z.sub(max).exp().sum(new int[] {axis}).log().add(max.squeeze(axis));
    }

    /** Magnitude of the finite additive mask for a dtype ({@code -Float.MAX_VALUE} style). */
    static double maskMagnitude(DataType dtype) {
        return dtype == DataType.FLOAT16 ? 65504.0 : -MASKED;
    }

    /** Largest exponent allowed in capped exponentials for the dtype (TRL's {@code cap_exp}). */
    static double expCap(DataType dtype) {
        return dtype == DataType.FLOAT64 ? 709.0 : (dtype == DataType.FLOAT16 ? 11.0 : 88.0);
    }

    /** {@code exp(min(x, cap))}. */
    static NDArray cappedExp(NDArray x) {
        return x.minimum(scalar(x, expCap(x.getDataType()))).exp();
    }

    /**
     * \( e^{\min(x, cap - reserve)} \): an exponential whose result stays {@code e^{reserve}} below
     * the dtype's largest capped value, for terms that are scaled by \( 1/c \) and subtracted
     * afterwards (AlphaPO, the power-form alpha divergence).
     *
     * @param x exponent
     * @param scale the factor the result is multiplied by afterwards (its magnitude is reserved)
     * @param beta a further factor applied later (reserved when above 1)
     */
    static NDArray cappedExp(NDArray x, double scale, double beta) {
        double reserve = Math.log(8) + Math.max(0, Math.log(Math.abs(scale)));
        reserve += Math.max(0, Math.log(beta));
        return x.minimum(scalar(x, expCap(x.getDataType()) - reserve)).exp();
    }

    /** Detached 0/1 indicator {@code a > b} in the dtype of {@code a}. */
    static NDArray greater(NDArray a, NDArray b) {
        return a.stopGradient().gt(b.stopGradient()).toType(a.getDataType(), false);
    }
}
