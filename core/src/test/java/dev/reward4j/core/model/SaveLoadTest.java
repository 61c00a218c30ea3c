package dev.reward4j.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reward4j.core.testing.Fixtures;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SaveLoadTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path tmp;

    static void assertSameTensors(DecoderModel a, DecoderModel b) {
        assertEquals(a.parameters().keySet(), b.parameters().keySet());
        for (Map.Entry<String, NDArray> e : a.parameters().entrySet()) {
            NDArray other = b.parameters().get(e.getKey());
            assertEquals(e.getValue().getShape(), other.getShape(), e.getKey());
            assertArrayEquals(e.getValue().toFloatArray(), other.toFloatArray(), 0f, e.getKey());
        }
    }

    static float[] rightPaddedScores(DecoderModel model, String fixture) {
        JsonNode c = Cases.read(fixture).get("cases").get(0);
        try (NDManager step = model.manager().newSubManager()) {
            return model.scores(
                            Cases.longs(step, c.get("input_ids")),
                            Cases.longs(step, c.get("attention_mask")))
                    .toFloatArray();
        }
    }

    @Nested
    class RewardModels {
        @ParameterizedTest
        @ValueSource(strings = {"llama-rm", "qwen2-rm", "gpt2-rm"})
        void saveThenLoadReproducesEveryTensorAndTheRewards(String name) throws IOException {
            Path out = tmp.resolve(name);
            try (DecoderModel model =
                    DecoderModel.load(
                            Fixtures.hf(name), ModelHead.REWARD, ModelOptions.defaults())) {
                model.save(out, Fixtures.hf("tokenizer"));
                try (DecoderModel back =
                        DecoderModel.load(out, ModelHead.REWARD, ModelOptions.defaults())) {
                    assertSameTensors(model, back);
                    assertArrayEquals(
                            rightPaddedScores(model, name), rightPaddedScores(back, name), 0f);
                }
            }
            JsonNode config = JSON.readTree(out.resolve("config.json").toFile());
            String expectedClass =
                    ModelConfig.load(Fixtures.hf(name))
                            .architecture()
                            .sequenceClassificationClass();
            assertEquals(expectedClass, config.get("architectures").get(0).asText());
            assertEquals(1, config.get("num_labels").asInt());
            assertEquals(0, config.get("pad_token_id").asInt());
            assertTrue(Files.exists(out.resolve("tokenizer.json")));
            assertTrue(Files.exists(out.resolve("tokenizer_config.json")));
        }

        @Test
        void savedHeaderIsEightByteAlignedWithPtMetadata() throws IOException {
            Path out = tmp.resolve("aligned");
            try (DecoderModel model =
                    DecoderModel.load(
                            Fixtures.hf("llama-rm"), ModelHead.REWARD, ModelOptions.defaults())) {
                model.save(out, null);
            }
            byte[] bytes = Files.readAllBytes(out.resolve("model.safetensors"));
            long headerLen = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
            assertEquals(0, headerLen % 8, "header length multiple of 8");
            JsonNode header =
                    JSON.readTree(
                            new String(bytes, 8, (int) headerLen, StandardCharsets.UTF_8).trim());
            assertEquals("pt", header.get("__metadata__").get("format").asText());
            assertEquals("F32", header.get("score.weight").get("dtype").asText());
            assertFalse(header.has("lm_head.weight"));
        }

        @Test
        void largeModelsAreShardedWithAnIndexAndReloadIdentically() throws IOException {
            Path out = tmp.resolve("sharded");
            try (DecoderModel model =
                    DecoderModel.load(
                            Fixtures.hf("gpt2-rm"), ModelHead.REWARD, ModelOptions.defaults())) {
                model.save(out, null, 100_000);
                JsonNode index = JSON.readTree(out.resolve(Checkpoint.INDEX_FILE).toFile());
                assertTrue(index.get("weight_map").size() == model.parameters().size());
                long shards =
                        Files.list(out)
                                .filter(
                                        p ->
                                                p.getFileName()
                                                        .toString()
                                                        .matches(
                                                                "model-\\d{5}-of-\\d{5}"
                                                                        + "\\.safetensors"))
                                .count();
                assertTrue(shards > 1, "shards " + shards);
                assertFalse(Files.exists(out.resolve(Checkpoint.SINGLE_FILE)));
                try (DecoderModel back =
                        DecoderModel.load(out, ModelHead.REWARD, ModelOptions.defaults())) {
                    assertSameTensors(model, back);
                    assertArrayEquals(
                            rightPaddedScores(model, "gpt2-rm"),
                            rightPaddedScores(back, "gpt2-rm"),
                            0f);
                }
            }
        }
    }

    @Nested
    class CausalLmAsRewardModel {
        @Test
        void loadingAnLmCheckpointAsRewardCreatesAndReportsAFreshScoreHead() throws IOException {
            Path out = tmp.resolve("from-lm");
            try (DecoderModel model =
                    DecoderModel.load(
                            Fixtures.hf("llama-lm"), ModelHead.REWARD, ModelOptions.defaults())) {
                assertTrue(model.loadReport().freshScoreHead());
                assertTrue(model.loadReport().droppedTensors().contains("lm_head.weight"));
                float[] head = model.parameters().get("score.weight").toFloatArray();
                double sq = 0;
                for (float v : head) {
                    sq += v * v;
                }
                double std = Math.sqrt(sq / head.length);
                assertTrue(std > 0.01 && std < 0.03, "fresh head std " + std);
                model.save(out, null);
                try (DecoderModel back =
                        DecoderModel.load(out, ModelHead.REWARD, ModelOptions.defaults())) {
                    assertFalse(back.loadReport().freshScoreHead());
                    assertSameTensors(model, back);
                }
            }
            JsonNode config = JSON.readTree(out.resolve("config.json").toFile());
            assertEquals(
                    "LlamaForSequenceClassification", config.get("architectures").get(0).asText());
        }

        @Test
        void aRewardCheckpointWithoutItsHeadIsAnError() throws IOException {
            Path out = tmp.resolve("headless");
            try (DecoderModel lm =
                    DecoderModel.load(
                            Fixtures.hf("llama-lm"), ModelHead.LM, ModelOptions.defaults())) {
                lm.save(out, null);
            }
            String config =
                    Files.readString(out.resolve("config.json"))
                            .replace("LlamaForCausalLM", "LlamaForSequenceClassification");
            Files.writeString(out.resolve("config.json"), config);
            IllegalArgumentException e =
                    org.junit.jupiter.api.Assertions.assertThrows(
                            IllegalArgumentException.class,
                            () ->
                                    DecoderModel.load(
                                            out, ModelHead.REWARD, ModelOptions.defaults()));
            assertTrue(e.getMessage().contains("score.weight"), e.getMessage());
        }
    }

    @Nested
    class FromScratch {
        @ParameterizedTest
        @ValueSource(strings = {"LLAMA", "MISTRAL", "QWEN2", "GPT2"})
        void createdModelsSaveAndReloadIdentically(Architecture arch) {
            ModelConfig config = ModelConfig.of(arch, 128, 32, 2, 4, 2, 64).withMaxPositions(64);
            Path out = tmp.resolve(arch.modelType());
            try (DecoderModel model =
                    DecoderModel.create(config, ModelHead.reward(3), 7, ModelOptions.defaults())) {
                model.save(out, null);
                try (DecoderModel back =
                        DecoderModel.load(out, ModelHead.reward(3), ModelOptions.defaults())) {
                    assertSameTensors(model, back);
                    assertEquals(config.withNumLabels(3).numLabels(), back.config().numLabels());
                }
            }
        }

        @Test
        void anUnsetPadTokenOfACreatedModelIsEosForPoolingAndSaving() throws IOException {
            // the pad id is fixed when the model is built (the rewards are pooled with it), so a
            // tokenizer given only at save time does not change it; RewardPoolingTest covers a
            // loaded checkpoint whose tokenizer has its own pad token
            ModelConfig config =
                    ModelConfig.of(Architecture.LLAMA, 128, 32, 1, 4, 2, 64).withPadTokenId(-1);
            try (DecoderModel model =
                    DecoderModel.create(config, ModelHead.REWARD, 3, ModelOptions.defaults())) {
                assertEquals(config.eosTokenId(), model.poolingPadId());
                model.save(tmp.resolve("with-tokenizer"), Fixtures.hf("tokenizer"));
                model.save(tmp.resolve("without-tokenizer"), null);
            }
            ObjectMapper json = new ObjectMapper();
            for (String dir : new String[] {"with-tokenizer", "without-tokenizer"}) {
                assertEquals(
                        config.eosTokenId(),
                        json.readTree(tmp.resolve(dir + "/config.json").toFile())
                                .get("pad_token_id")
                                .asInt(),
                        dir);
            }
        }

        @Test
        void initialisationFollowsTheDocumentedScheme() {
            ModelConfig config = ModelConfig.of(Architecture.QWEN2, 256, 64, 2, 4, 2, 128);
            try (DecoderModel a =
                            DecoderModel.create(
                                    config, ModelHead.REWARD, 11, ModelOptions.defaults());
                    DecoderModel b =
                            DecoderModel.create(
                                    config, ModelHead.REWARD, 11, ModelOptions.defaults())) {
                assertSameTensors(a, b);
                for (float v : a.parameters().get("model.norm.weight").toFloatArray()) {
                    assertEquals(1f, v);
                }
                for (float v :
                        a.parameters().get("model.layers.0.self_attn.q_proj.bias").toFloatArray()) {
                    assertEquals(0f, v);
                }
                for (float v :
                        a.parameters().get("model.embed_tokens.weight").get(0).toFloatArray()) {
                    assertEquals(0f, v, "pad row zero");
                }
                float[] w = a.parameters().get("model.layers.1.mlp.up_proj.weight").toFloatArray();
                double sq = 0;
                for (float v : w) {
                    sq += v * v;
                }
                double std = Math.sqrt(sq / w.length);
                assertEquals(0.02, std, 0.002);
            }
        }
    }
}
