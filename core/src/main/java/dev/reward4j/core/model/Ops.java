package dev.reward4j.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;

/**
 * The small functional building blocks shared by the decoders. Every op puts the per-step array
 * first so results attach to the step's manager, never to the model manager.
 */
final class Ops {
    private Ops() {}

    /** {@code table[ids]}: (..., H), attached to {@code ids}' manager. */
    static NDArray embed(NDArray ids, NDArray table) {
        return ids.getNDArrayInternal()
                .embedding(ids, table, SparseFormat.DENSE)
                .singletonOrThrow();
    }

    /** {@code x W^T + b} with W stored (out, in) as in {@code nn.Linear}; {@code b} may be null. */
    static NDArray linear(NDArray x, NDArray w, NDArray b) {
        return (b == null ? Linear.linear(x, w) : Linear.linear(x, w, b)).singletonOrThrow();
    }

    /** {@code x W + b} with W stored (in, out) as in GPT-2 {@code Conv1D}. */
    static NDArray conv1d(NDArray x, NDArray w, NDArray b) {
        return x.matMul(w).add(b);
    }

    /**
     * A 0-d constant with {@code like}'s dtype and device, owned by libtorch, holding {@code value}
     * rounded once to that dtype (a float64 operand gets the exact double). Use it instead of
     * {@code mul(Number)}, {@code div(Number)} or {@code pow(Number)} on arrays that autograd
     * records: DJL wraps a Java number with {@code from_blob} over a JVM buffer that a garbage
     * collection may free before backward reads it (garbage gradients). On a GPU every {@code
     * op(Number)} is also a blocking host-to-device copy (a synchronisation): hot paths use this
     * for every operand, comparisons included.
     *
     * <p>Same semantics as {@code Numerics.scalar} (losses) and {@code Scalars.of} (trainers). A
     * float64 operand gets the exact double: the value is created as a float64 array, cloned
     * natively ({@code duplicate()}: engine-owned memory, unlike {@code toType} to the same dtype,
     * which may alias the JVM buffer). Other dtypes get a fill kernel ({@code full}) on the
     * operand's device, which needs no host-to-device copy.
     */
    static NDArray scalar(NDArray like, double value) {
        if (like.getDataType() != DataType.FLOAT64) {
            return like.getManager().full(new Shape(), (float) value, like.getDataType());
        }
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

    /** RMSNorm: {@code w * x / sqrt(mean(x^2) + eps)} over the last axis. */
    static NDArray rmsNorm(NDArray x, NDArray w, double eps) {
        NDArray ms = x.square().mean(new int[] {-1}, true);
        NDArray rms = ms.add(scalar(ms, eps)).sqrt();
        return x.div(rms).mul(w);
    }

    /** LayerNorm over the last axis. */
    static NDArray layerNorm(NDArray x, NDArray gamma, NDArray beta, double eps) {
        return LayerNorm.layerNorm(x, new Shape(gamma.getShape().get(0)), gamma, beta, (float) eps)
                .singletonOrThrow();
    }

    /** (N, T, heads * d) to (N, heads, T, d). */
    static NDArray splitHeads(NDArray x, long n, long t, int heads, int d) {
        return x.reshape(n, t, heads, d).transpose(0, 2, 1, 3);
    }

    /** (N, heads, T, d) to (N, T, heads * d). */
    static NDArray mergeHeads(NDArray x, long n, long t) {
        Shape s = x.getShape();
        return x.transpose(0, 2, 1, 3).reshape(n, t, s.get(1) * s.get(3));
    }

    /**
     * Repeats each key/value head {@code groups} times along the head axis (= {@code
     * repeat_interleave}).
     */
    static NDArray repeatKv(NDArray x, int groups) {
        return groups == 1 ? x : x.repeat(1, groups);
    }

    /** The most negative finite value of a floating dtype: the additive mask value. */
    static float finiteMin(DataType dtype) {
        return dtype == DataType.FLOAT16 ? -65504f : -Float.MAX_VALUE;
    }
}
