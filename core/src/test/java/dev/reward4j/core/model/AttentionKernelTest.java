package dev.reward4j.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import com.fasterxml.jackson.databind.JsonNode;
import dev.reward4j.core.testing.Fixtures;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AttentionKernelTest {

    @Nested
    class Fused {
        @ParameterizedTest
        @ValueSource(strings = {"llama-rm", "qwen2-rm", "gpt2-rm"})
        void fusedRewardsEqualEagerRewardsWithPadding(String name) {
            JsonNode cases = Cases.read(name);
            ModelOptions eagerOpts = ModelOptions.defaults();
            try (DecoderModel eager =
                            DecoderModel.load(Fixtures.hf(name), ModelHead.REWARD, eagerOpts);
                    DecoderModel fused =
                            DecoderModel.load(
                                    Fixtures.hf(name),
                                    ModelHead.REWARD,
                                    eagerOpts.withAttention(AttentionImpl.FUSED));
                    NDManager step = eager.manager().newSubManager()) {
                assertEquals(AttentionImpl.FUSED, fused.attention());
                for (JsonNode c : cases.get("cases")) {
                    NDArray ids = Cases.longs(step, c.get("input_ids"));
                    NDArray mask = Cases.longs(step, c.get("attention_mask"));
                    float[] a = eager.scores(ids, mask).toFloatArray();
                    float[] b = fused.scores(ids, mask).toFloatArray();
                    double err = maxDiff(a, b);
                    System.out.printf(
                            "fused-vs-eager %s %s max|diff| = %.3g%n",
                            name, c.get("padding_side").asText(), err);
                    assertTrue(err < 1e-4, "max |diff| " + err);
                }
            }
        }

        @Test
        void fusedGradientsEqualEagerGradients() {
            String name = "llama-lm";
            JsonNode c = Cases.read(name);
            float[][] grads = new float[2][];
            AttentionImpl[] impls = {AttentionImpl.EAGER, AttentionImpl.FUSED};
            for (int i = 0; i < 2; i++) {
                try (DecoderModel model =
                                DecoderModel.load(
                                        Fixtures.hf(name),
                                        ModelHead.LM,
                                        ModelOptions.defaults().withAttention(impls[i]));
                        NDManager step = model.manager().newSubManager()) {
                    model.setTrainable(true);
                    NDArray ids = Cases.longs(step, c.get("input_ids"));
                    NDArray mask = Cases.longs(step, c.get("attention_mask"));
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        NDArray loss = model.tokenLogps(ids, mask).sum();
                        gc.backward(loss);
                    }
                    try (NDArray g =
                            model.parameters()
                                    .get("model.layers.0.self_attn.q_proj.weight")
                                    .getGradient()) {
                        grads[i] = g.toFloatArray();
                    }
                }
            }
            double err = maxDiff(grads[0], grads[1]);
            System.out.printf("fused-vs-eager q_proj grad max|diff| = %.3g%n", err);
            assertTrue(err < 1e-4, "grad max |diff| " + err);
        }
    }

    static double maxDiff(float[] a, float[] b) {
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }
}
