package dev.reward4j.bench.e2e;

import dev.reward4j.core.model.AttentionImpl;
import dev.reward4j.core.util.Checks;

/**
 * One measured configuration.
 *
 * @param width hidden size
 * @param layers decoder blocks
 * @param heads query heads
 * @param kvHeads key/value heads
 * @param mlp MLP width
 * @param vocab vocabulary size
 * @param seqLen maximum sequence length; lengths are drawn uniformly from {@code [seqLen / 4,
 *     seqLen]}
 * @param batchPairs pairs per optimizer step
 * @param attention attention path
 * @param layout padding or packing
 * @param device {@code cpu}, {@code gpu}, {@code gpu:N}
 * @param warmupSteps steps run before timing starts
 * @param steps timed steps
 * @param dtype FLOAT32, or FLOAT16 (mixed precision: float16 model, float32 AdamW master weights,
 *     dynamic loss scaling)
 * @param profile record libtorch's operator profile of the timed steps
 */
record ThroughputConfig(
        int width,
        int layers,
        int heads,
        int kvHeads,
        int mlp,
        int vocab,
        int seqLen,
        int batchPairs,
        AttentionImpl attention,
        Layout layout,
        String device,
        int warmupSteps,
        int steps,
        ai.djl.ndarray.types.DataType dtype,
        boolean profile) {
    /** Validates the counts. */
    ThroughputConfig {
        Checks.positive(width, "bench.width");
        Checks.positive(layers, "bench.layers");
        Checks.positive(heads, "bench.heads");
        Checks.positive(kvHeads, "bench.kvHeads");
        Checks.argument(
                width % heads == 0 && heads % kvHeads == 0,
                () ->
                        "bench: width ("
                                + width
                                + ") / heads ("
                                + heads
                                + ") / kv heads ("
                                + kvHeads
                                + ") do not divide; expected width % heads == 0 and heads % kvHeads"
                                + " == 0");
        Checks.positive(mlp, "bench.mlp");
        Checks.argument(vocab >= 8, () -> "bench.vocab (" + vocab + "); expected >= 8");
        Checks.argument(seqLen >= 4, () -> "bench.seqLen (" + seqLen + "); expected >= 4");
        Checks.positive(batchPairs, "bench.batchPairs");
        Checks.argument(
                warmupSteps >= 0, () -> "bench.warmup (" + warmupSteps + "); expected >= 0");
        Checks.positive(steps, "bench.steps");
        Checks.argument(
                dtype == ai.djl.ndarray.types.DataType.FLOAT32
                        || dtype == ai.djl.ndarray.types.DataType.FLOAT16,
                () -> "bench.dtype (" + dtype + "); expected float32 or float16");
    }

    /** Padding every pair to the longest row, or packing sequences into rows of {@code seqLen}. */
    enum Layout {
        PADDED,
        PACKED
    }

    /**
     * Non-embedding parameters: attention (q, o: d*d; k, v: d*d*kv/h) and SwiGLU MLP (3*d*mlp) per
     * layer.
     */
    long nonEmbeddingParams() {
        long kvWidth = (long) width / heads * kvHeads;
        long attention = 2L * width * width + 2L * width * kvWidth;
        long mlpParams = 3L * width * mlp;
        return layers * (attention + mlpParams);
    }

    /**
     * Model FLOPs of one forward+backward over {@code tokens} real tokens of sequences of mean
     * length {@code meanLen}: {@code 6 N tokens} for the matmuls plus {@code 6 L meanLen d tokens}
     * for causal attention scores and values (the PaLM appendix B count {@code 12 L T d} halved for
     * causality).
     */
    double modelFlops(long tokens, double meanLen) {
        return 6.0 * nonEmbeddingParams() * tokens + 6.0 * layers * meanLen * width * tokens;
    }
}
