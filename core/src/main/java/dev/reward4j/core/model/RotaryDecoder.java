package dev.reward4j.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.util.Map;

/**
 * Llama / Mistral / Qwen2 decoder: pre-RMSNorm blocks with rotary self-attention (GQA/MQA by
 * repeating key/value heads) and a gated MLP {@code down(act(gate(x)) * up(x))}.
 */
record RotaryDecoder(
        ModelConfig config,
        Map<String, NDArray> p,
        Kernels kernels,
        DataType dtype,
        NDArray invFreq)
        implements Backbone {

    @Override
    public NDArray hidden(NDArray ids, NDArray positions, NDArray segments) {
        NDArray mask = Masks.additive(segments, config.slidingWindow(), dtype);
        Rope rope = Rope.of(positions, invFreq, dtype);
        NDArray x = Ops.embed(ids, p.get("model.embed_tokens.weight"));
        for (int i = 0; i < config.numLayers(); i++) {
            String prefix = "model.layers." + i + ".";
            NDArray a =
                    kernels.rmsNorm(x, p.get(prefix + "input_layernorm.weight"), config.normEps());
            x = x.add(selfAttention(prefix + "self_attn.", a, rope, mask));
            NDArray f =
                    kernels.rmsNorm(
                            x, p.get(prefix + "post_attention_layernorm.weight"), config.normEps());
            x = x.add(mlp(prefix + "mlp.", f));
        }
        return kernels.rmsNorm(x, p.get("model.norm.weight"), config.normEps());
    }

    private NDArray selfAttention(String prefix, NDArray x, Rope rope, NDArray mask) {
        long n = x.getShape().get(0);
        long t = x.getShape().get(1);
        int d = config.headDim();
        NDArray q = Ops.splitHeads(proj(prefix + "q_proj", x), n, t, config.numHeads(), d);
        NDArray k = Ops.splitHeads(proj(prefix + "k_proj", x), n, t, config.numKvHeads(), d);
        NDArray v = Ops.splitHeads(proj(prefix + "v_proj", x), n, t, config.numKvHeads(), d);
        q = rope.apply(q);
        k = Ops.repeatKv(rope.apply(k), config.groupSize());
        v = Ops.repeatKv(v, config.groupSize());
        NDArray o = kernels.attention().attend(q, k, v, mask);
        return proj(prefix + "o_proj", Ops.mergeHeads(o, n, t));
    }

    private NDArray mlp(String prefix, NDArray x) {
        NDArray gated =
                kernels.gated(
                        config.activation(),
                        proj(prefix + "gate_proj", x),
                        proj(prefix + "up_proj", x));
        return proj(prefix + "down_proj", gated);
    }

    private NDArray proj(String name, NDArray x) {
        return Ops.linear(x, p.get(name + ".weight"), p.get(name + ".bias"));
    }
}
