package dev.reward4j.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;

/**
 * Rotary position embedding in the rotate-half form used by HF Llama/Mistral/Qwen2: {@code x cos +
 * rot(x) sin} with {@code rot([x1, x2]) = [-x2, x1]} and angles {@code position * invFreq},
 * duplicated over both halves.
 *
 * @param cos (N or 1, 1, T, d)
 * @param sin (N or 1, 1, T, d)
 */
record Rope(NDArray cos, NDArray sin) {

    /**
     * Angles for {@code positions} (N, T) or (1, T) from {@code invFreq} (d / 2) float32 on the
     * model's device (created once per model: a per-forward host array would be a blocking copy on
     * a GPU); computed in float32, then cast to {@code dtype}.
     */
    static Rope of(NDArray positions, NDArray invFreq, DataType dtype) {
        NDArray freqs = positions.toType(DataType.FLOAT32, false).expandDims(2).mul(invFreq);
        NDArray emb = freqs.concat(freqs, 2).expandDims(1);
        NDArray cos = emb.cos();
        NDArray sin = emb.sin();
        if (dtype != DataType.FLOAT32) {
            cos = cos.toType(dtype, false);
            sin = sin.toType(dtype, false);
        }
        return new Rope(cos, sin);
    }

    /** Rotates x (N, heads, T, d). */
    NDArray apply(NDArray x) {
        long d = x.getShape().get(3);
        long half = d / 2;
        NDArray x1 = x.get(new NDIndex("..., :" + half));
        NDArray x2 = x.get(new NDIndex("..., " + half + ":"));
        NDArray rotated = x2.neg().concat(x1, 3);
        return x.mul(cos).add(rotated.mul(sin));
    }

    /** Inverse frequencies of {@code config} as floats. */
    static float[] invFreq(ModelConfig config) {
        double[] inv = config.ropeScaling().invFreq(config.ropeTheta(), config.headDim());
        float[] out = new float[inv.length];
        for (int i = 0; i < inv.length; i++) {
            out[i] = (float) inv[i];
        }
        return out;
    }
}
