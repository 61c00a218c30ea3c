package dev.reward4j.core.model;

import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * One expected parameter: its HF tensor name, shape and from-scratch initialisation.
 *
 * @param name HF tensor name
 * @param shape expected shape
 * @param init initialisation
 * @param std standard deviation for {@link Init#NORMAL}
 */
record ParamSpec(String name, Shape shape, Init init, double std) {

    /** From-scratch initialisation (HF {@code _init_weights}). */
    enum Init {
        NORMAL,
        ZEROS,
        ONES
    }

    /** Whether this is the reward head ({@code score.weight}). */
    boolean isScoreHead() {
        return name.equals(SCORE);
    }

    static final String SCORE = "score.weight";
    static final String LM_HEAD = "lm_head.weight";

    /**
     * The parameters of a model with {@code config} and {@code head}, in HF module order.
     *
     * <p>Initialisation: every matrix and embedding ~ N(0, initializer_range); GPT-2 residual
     * projections ({@code c_proj.weight}) ~ N(0, initializer_range / sqrt(2 x layers)); biases 0;
     * norm weights 1, norm biases 0.
     */
    static List<ParamSpec> layout(ModelConfig c, ModelHead head) {
        List<ParamSpec> out = new ArrayList<>();
        double std = c.initializerRange();
        int h = c.hiddenSize();
        if (c.architecture().rotary()) {
            int q = c.numHeads() * c.headDim();
            int kv = c.numKvHeads() * c.headDim();
            int inter = c.intermediateSize();
            out.add(normal("model.embed_tokens.weight", std, c.vocabSize(), h));
            for (int i = 0; i < c.numLayers(); i++) {
                String p = "model.layers." + i + ".";
                out.add(ones(p + "input_layernorm.weight", h));
                linear(out, p + "self_attn.q_proj", q, h, c.qkvBias(), std);
                linear(out, p + "self_attn.k_proj", kv, h, c.qkvBias(), std);
                linear(out, p + "self_attn.v_proj", kv, h, c.qkvBias(), std);
                linear(out, p + "self_attn.o_proj", h, q, c.outputBias(), std);
                out.add(ones(p + "post_attention_layernorm.weight", h));
                linear(out, p + "mlp.gate_proj", inter, h, c.mlpBias(), std);
                linear(out, p + "mlp.up_proj", inter, h, c.mlpBias(), std);
                linear(out, p + "mlp.down_proj", h, inter, c.mlpBias(), std);
            }
            out.add(ones("model.norm.weight", h));
        } else {
            double projStd = std / Math.sqrt(2.0 * c.numLayers());
            int inter = c.intermediateSize();
            out.add(normal("transformer.wte.weight", std, c.vocabSize(), h));
            out.add(normal("transformer.wpe.weight", std, c.maxPositions(), h));
            for (int i = 0; i < c.numLayers(); i++) {
                String p = "transformer.h." + i + ".";
                layerNorm(out, p + "ln_1", h);
                conv1d(out, p + "attn.c_attn", h, 3 * h, std);
                conv1d(out, p + "attn.c_proj", h, h, projStd);
                layerNorm(out, p + "ln_2", h);
                conv1d(out, p + "mlp.c_fc", h, inter, std);
                conv1d(out, p + "mlp.c_proj", inter, h, projStd);
            }
            layerNorm(out, "transformer.ln_f", h);
        }
        if (head instanceof ModelHead.Reward r) {
            out.add(normal(SCORE, std, r.numLabels(), h));
        } else if (!c.tieWordEmbeddings()) {
            out.add(normal(LM_HEAD, std, c.vocabSize(), h));
        }
        return out;
    }

    /** Name of the embedding table the tied LM head reuses. */
    static String embeddingName(ModelConfig c) {
        return c.architecture().rotary() ? "model.embed_tokens.weight" : "transformer.wte.weight";
    }

    private static ParamSpec normal(String name, double std, long... dims) {
        return new ParamSpec(name, new Shape(dims), Init.NORMAL, std);
    }

    private static ParamSpec ones(String name, long dim) {
        return new ParamSpec(name, new Shape(dim), Init.ONES, 0);
    }

    private static void linear(
            List<ParamSpec> out, String name, int outDim, int inDim, boolean bias, double std) {
        out.add(normal(name + ".weight", std, outDim, inDim));
        if (bias) {
            out.add(new ParamSpec(name + ".bias", new Shape(outDim), Init.ZEROS, 0));
        }
    }

    /** GPT-2 {@code Conv1D}: weight stored (in, out). */
    private static void conv1d(
            List<ParamSpec> out, String name, int inDim, int outDim, double std) {
        out.add(normal(name + ".weight", std, inDim, outDim));
        out.add(new ParamSpec(name + ".bias", new Shape(outDim), Init.ZEROS, 0));
    }

    private static void layerNorm(List<ParamSpec> out, String name, int dim) {
        out.add(ones(name + ".weight", dim));
        out.add(new ParamSpec(name + ".bias", new Shape(dim), Init.ZEROS, 0));
    }
}
