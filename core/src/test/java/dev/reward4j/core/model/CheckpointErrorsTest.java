package dev.reward4j.core.model;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.reward4j.core.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointErrorsTest {
    @TempDir Path tmp;

    private Path copyOf(String fixture) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve(fixture));
        Files.copy(Fixtures.hf(fixture).resolve("config.json"), dir.resolve("config.json"));
        Files.copy(
                Fixtures.hf(fixture).resolve("model.safetensors"),
                dir.resolve("model.safetensors"));
        return dir;
    }

    private static void assertMessage(Exception e, String... parts) {
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), "'" + p + "' missing in: " + e.getMessage());
        }
    }

    @Test
    void missingShardNamesTheShardTheIndexAndATensor() throws IOException {
        Path dir = tmp.resolve("sharded");
        try (DecoderModel m =
                DecoderModel.load(
                        Fixtures.hf("gpt2-rm"), ModelHead.REWARD, ModelOptions.defaults())) {
            m.save(dir, null, 100_000);
        }
        Path gone =
                dir.resolve(
                        "model-00002-of-"
                                + String.format(
                                        "%05d",
                                        Files.list(dir)
                                                .filter(
                                                        p ->
                                                                p.getFileName()
                                                                        .toString()
                                                                        .startsWith("model-"))
                                                .count())
                                + ".safetensors");
        Files.delete(gone);
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> DecoderModel.load(dir, ModelHead.REWARD, ModelOptions.defaults()));
        assertMessage(
                e,
                "missing shard",
                gone.getFileName().toString(),
                Checkpoint.INDEX_FILE,
                "transformer.");
    }

    @Test
    void wrongTensorShapeNamesFileTensorAndBothShapes() throws IOException {
        Path dir = copyOf("llama-rm");
        try (NDManager m = NDManager.newBaseManager();
                SafetensorsFile in = SafetensorsFile.open(dir.resolve("model.safetensors"))) {
            Map<String, NDArray> tensors = new LinkedHashMap<>();
            for (String name : in.tensors().keySet()) {
                tensors.put(name, in.read(name, m, ai.djl.ndarray.types.DataType.FLOAT32));
            }
            tensors.put("model.layers.1.mlp.up_proj.weight", m.zeros(new Shape(100, 64)));
            SafetensorsWriter.writeFile(dir.resolve("model.safetensors"), tensors);
        }
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> DecoderModel.load(dir, ModelHead.REWARD, ModelOptions.defaults()));
        assertMessage(
                e,
                "model.layers.1.mlp.up_proj.weight",
                dir.resolve("model.safetensors").toString(),
                "(100, 64)",
                "(160, 64)");
    }

    @Test
    void truncatedHeaderNamesTheFile() throws IOException {
        Path dir = copyOf("qwen2-rm");
        Path file = dir.resolve("model.safetensors");
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(bytes, 500));
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> DecoderModel.load(dir, ModelHead.REWARD, ModelOptions.defaults()));
        assertMessage(e, "truncated header", file.toString());
    }

    @Test
    void truncatedDataNamesTheFileAndTheTensor() throws IOException {
        Path dir = copyOf("qwen2-rm");
        Path file = dir.resolve("model.safetensors");
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(bytes, bytes.length - 1000));
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> DecoderModel.load(dir, ModelHead.REWARD, ModelOptions.defaults()));
        assertMessage(e, "truncated", file.toString(), "tensor ");
    }

    @Test
    void unknownArchitectureFailsBeforeReadingWeights() throws IOException {
        Path dir = copyOf("llama-rm");
        Files.writeString(
                dir.resolve("config.json"),
                Files.readString(dir.resolve("config.json")).replace("\"llama\"", "\"mamba\""));
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> DecoderModel.load(dir, ModelHead.REWARD, ModelOptions.defaults()));
        assertMessage(e, "mamba", "llama, mistral, qwen2, gpt2", "config.json");
    }

    @Test
    void missingAndUnexpectedTensorsAreListed() throws IOException {
        Path dir = copyOf("llama-rm");
        Files.writeString(
                dir.resolve("config.json"),
                Files.readString(dir.resolve("config.json"))
                        .replace("\"num_hidden_layers\": 2", "\"num_hidden_layers\": 3"));
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> DecoderModel.load(dir, ModelHead.REWARD, ModelOptions.defaults()));
        assertMessage(e, "missing 9", "model.layers.2.", "unexpected 0");
    }

    @Test
    void anRmCheckpointHasNoLmHead() {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                DecoderModel.load(
                                        Fixtures.hf("llama-rm"),
                                        ModelHead.LM,
                                        ModelOptions.defaults()));
        assertMessage(e, "lm_head.weight");
    }

    @Test
    void noWeightsFileIsAClearError() throws IOException {
        Path dir = copyOf("llama-rm");
        Files.delete(dir.resolve("model.safetensors"));
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> DecoderModel.load(dir, ModelHead.REWARD, ModelOptions.defaults()));
        assertMessage(e, "no weights", dir.toString());
    }

    @Test
    void tokenIdsOutsideTheVocabularyAreAClearError() {
        try (DecoderModel model =
                        DecoderModel.load(
                                Fixtures.hf("llama-rm"),
                                ModelHead.REWARD,
                                ModelOptions.defaults());
                NDManager m = model.manager().newSubManager()) {
            NDArray ids = m.create(new long[] {1, 5, 512}, new Shape(1, 3));
            IllegalArgumentException e =
                    assertThrows(
                            IllegalArgumentException.class,
                            () ->
                                    model.scores(
                                            ids,
                                            m.ones(
                                                    new Shape(1, 3),
                                                    ai.djl.ndarray.types.DataType.INT64)));
            assertMessage(e, "512", "vocabulary [0, 512)");
        }
    }

    @Test
    void aDirectoryWithoutConfigJsonIsNamedAsSuch() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> ModelConfig.load(tmp));
        assertMessage(e, tmp.toString(), "has no config.json");
    }

    @Test
    void zeroAttentionHeadsNamesTheFieldInsteadOfDividingByZero() throws IOException {
        Path dir = copyOf("llama-rm");
        Path config = dir.resolve("config.json");
        Files.writeString(
                config,
                Files.readString(config)
                        .replace("\"num_attention_heads\": 4", "\"num_attention_heads\": 0"));
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> ModelConfig.load(dir));
        assertMessage(e, "config.json field num_attention_heads is 0", "expected an integer >= 1");
    }
}
