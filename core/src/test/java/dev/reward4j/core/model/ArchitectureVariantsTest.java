package dev.reward4j.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.reward4j.core.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArchitectureVariantsTest {
    @TempDir Path tmp;

    static float[] scores(DecoderModel model, long[][] rows) {
        try (NDManager m = model.manager().newSubManager()) {
            int n = rows.length;
            int t = rows[0].length;
            long[] flat = new long[n * t];
            for (int i = 0; i < n; i++) {
                System.arraycopy(rows[i], 0, flat, i * t, t);
            }
            NDArray ids = m.create(flat, new Shape(n, t));
            return model.scores(ids, m.ones(new Shape(n, t), DataType.INT64)).toFloatArray();
        }
    }

    static long[] tokens(int length, int seed) {
        long[] out = new long[length];
        for (int i = 0; i < length; i++) {
            out[i] = 3 + (seed * 31L + i * 17L) % 120;
        }
        return out;
    }

    @Nested
    class Attention {
        @Test
        void multiQueryAttentionRunsAndFusedEqualsEager() {
            ModelConfig mqa = ModelConfig.of(Architecture.LLAMA, 128, 32, 2, 4, 1, 64);
            try (DecoderModel eager =
                            DecoderModel.create(mqa, ModelHead.REWARD, 3, ModelOptions.defaults());
                    DecoderModel fused =
                            DecoderModel.create(
                                    mqa,
                                    ModelHead.REWARD,
                                    3,
                                    ModelOptions.defaults().withAttention(AttentionImpl.AUTO))) {
                assertEquals(
                        new Shape(8, 32),
                        eager.parameters()
                                .get("model.layers.0.self_attn.k_proj.weight")
                                .getShape());
                long[][] rows = {tokens(12, 1), tokens(12, 2)};
                assertTrue(
                        AttentionKernelTest.maxDiff(scores(eager, rows), scores(fused, rows))
                                < 1e-4);
            }
        }

        @Test
        void slidingWindowOnlyMattersBeyondTheWindow() {
            ModelConfig full = ModelConfig.of(Architecture.MISTRAL, 128, 32, 2, 4, 2, 64);
            ModelConfig windowed = full.withSlidingWindow(6);
            try (DecoderModel a =
                            DecoderModel.create(
                                    full, ModelHead.REWARD, 5, ModelOptions.defaults());
                    DecoderModel b =
                            DecoderModel.create(
                                    windowed, ModelHead.REWARD, 5, ModelOptions.defaults());
                    DecoderModel c =
                            DecoderModel.create(
                                    windowed,
                                    ModelHead.REWARD,
                                    5,
                                    ModelOptions.defaults().withAttention(AttentionImpl.FUSED))) {
                long[][] shortRows = {tokens(6, 1)};
                long[][] longRows = {tokens(16, 1)};
                assertTrue(
                        AttentionKernelTest.maxDiff(scores(a, shortRows), scores(b, shortRows))
                                < 1e-6);
                assertTrue(
                        AttentionKernelTest.maxDiff(scores(a, longRows), scores(b, longRows))
                                > 1e-6);
                assertTrue(
                        AttentionKernelTest.maxDiff(scores(b, longRows), scores(c, longRows))
                                < 1e-4);
            }
        }

        @Test
        void explicitHeadDimDifferentFromHiddenOverHeadsIsHonoured() throws IOException {
            Path dir = Files.createDirectories(tmp.resolve("hd"));
            Files.writeString(
                    dir.resolve("config.json"),
                    "{\"model_type\":\"llama\",\"vocab_size\":128,\"hidden_size\":32,"
                        + "\"intermediate_size\":64,\"num_hidden_layers\":1,\"num_attention_heads\":4,\"num_key_value_heads\":2,"
                        + "\"head_dim\":16,\"rope_parameters\":{\"rope_theta\":10000.0,\"rope_type\":\"default\"}}");
            ModelConfig config = ModelConfig.load(dir);
            try (DecoderModel model =
                    DecoderModel.create(config, ModelHead.REWARD, 1, ModelOptions.defaults())) {
                assertEquals(
                        new Shape(64, 32),
                        model.parameters()
                                .get("model.layers.0.self_attn.q_proj.weight")
                                .getShape());
                assertEquals(
                        new Shape(32, 64),
                        model.parameters()
                                .get("model.layers.0.self_attn.o_proj.weight")
                                .getShape());
                assertEquals(2, scores(model, new long[][] {tokens(5, 1), tokens(5, 2)}).length);
            }
        }

        @Test
        void llama3RopeScalingChangesOnlyLongWavelengths() {
            ModelConfig base = ModelConfig.of(Architecture.LLAMA, 128, 64, 1, 2, 1, 64);
            ModelConfig scaled = base.withRope(10000.0, new RopeScaling.Llama3(8.0, 1.0, 4.0, 16));
            try (DecoderModel a =
                            DecoderModel.create(
                                    base, ModelHead.REWARD, 9, ModelOptions.defaults());
                    DecoderModel b =
                            DecoderModel.create(
                                    scaled, ModelHead.REWARD, 9, ModelOptions.defaults())) {
                long[][] rows = {tokens(10, 4)};
                assertTrue(AttentionKernelTest.maxDiff(scores(a, rows), scores(b, rows)) > 1e-7);
            }
        }
    }

    @Nested
    class Precision {
        @Test
        void float16ModelTracksFloat32AndBackpropagatesThroughTheHead() {
            try (DecoderModel f32 =
                            DecoderModel.load(
                                    Fixtures.hf("llama-rm"),
                                    ModelHead.REWARD,
                                    ModelOptions.defaults());
                    DecoderModel f16 =
                            DecoderModel.load(
                                    Fixtures.hf("llama-rm"),
                                    ModelHead.REWARD,
                                    ModelOptions.defaults().withDtype(DataType.FLOAT16));
                    NDManager m = f16.manager().newSubManager()) {
                assertEquals(DataType.FLOAT16, f16.parameters().get("score.weight").getDataType());
                long[][] rows = {tokens(12, 1), tokens(12, 2)};
                float[] a = scores(f32, rows);
                float[] b = scores(f16, rows);
                double err = AttentionKernelTest.maxDiff(a, b);
                System.out.printf("fp16-vs-fp32 llama-rm max|diff| = %.3g%n", err);
                assertTrue(err < 5e-2, "fp16 vs fp32 " + err);
                f16.setTrainable(true);
                NDArray ids = m.create(tokens(12, 3), new Shape(1, 12));
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDArray s = f16.scores(ids, m.ones(new Shape(1, 12), DataType.INT64));
                    assertEquals(DataType.FLOAT32, s.getDataType());
                    gc.backward(s.sum());
                }
                try (NDArray g =
                        f16.parameters().get("model.layers.0.mlp.up_proj.weight").getGradient()) {
                    assertTrue(
                            g.toType(DataType.FLOAT32, false).abs().sum().getFloat() > 0,
                            "fp16 gradient flows");
                }
            }
        }
    }
}
