package dev.reward4j.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import java.util.Map;

/**
 * GPT-2 decoder: learned absolute positions, pre-LayerNorm blocks, fused {@code c_attn} projection
 * and {@code Conv1D} weights stored (in, out).
 */
record Gpt2Decoder(
        ModelConfig config, Map<String, NDArray> p, AttentionKernel attention, DataType dtype)
        implements Backbone {

    @Override
    public NDArray hidden(NDArray ids, NDArray positions, NDArray segments) {
        NDArray mask = Masks.additive(segments, 0, dtype);
        NDArray x =
                Ops.embed(ids, p.get("transformer.wte.weight"))
                        .add(Ops.embed(positions, p.get("transformer.wpe.weight")));
        for (int i = 0; i < config.numLayers(); i++) {
            String prefix = "transformer.h." + i + ".";
            x = x.add(selfAttention(prefix + "attn.", norm(prefix + "ln_1", x), mask));
            x = x.add(mlp(prefix + "mlp.", norm(prefix + "ln_2", x)));
        }
        return norm("transformer.ln_f", x);
    }

    private NDArray selfAttention(String prefix, NDArray x, NDArray mask) {
        long n = x.getShape().get(0);
        long t = x.getShape().get(1);
        int heads = config.numHeads();
        int d = config.headDim();
        NDList qkv = conv(prefix + "c_attn", x).split(3, 2);
        NDArray q = Ops.splitHeads(qkv.get(0), n, t, heads, d);
        NDArray k = Ops.splitHeads(qkv.get(1), n, t, heads, d);
        NDArray v = Ops.splitHeads(qkv.get(2), n, t, heads, d);
        NDArray o = attention.attend(q, k, v, mask);
        return conv(prefix + "c_proj", Ops.mergeHeads(o, n, t));
    }

    private NDArray mlp(String prefix, NDArray x) {
        return conv(prefix + "c_proj", config.activation().apply(conv(prefix + "c_fc", x)));
    }

    private NDArray conv(String name, NDArray x) {
        return Ops.conv1d(x, p.get(name + ".weight"), p.get(name + ".bias"));
    }

    private NDArray norm(String name, NDArray x) {
        return Ops.layerNorm(x, p.get(name + ".weight"), p.get(name + ".bias"), config.normEps());
    }
}
