package dev.reward4j.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.reward4j.core.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelConfigTest {
    @TempDir Path tmp;

    Path writeConfig(String json) throws IOException {
        Path dir = Files.createTempDirectory(tmp, "cfg");
        Files.writeString(dir.resolve("config.json"), json);
        return dir;
    }

    @Nested
    class Fixtures_ {
        @Test
        void llamaReadsRopeParametersHeadDimAndGqa() {
            ModelConfig c = ModelConfig.load(Fixtures.hf("llama-rm"));
            assertEquals(Architecture.LLAMA, c.architecture());
            assertEquals(10000.0, c.ropeTheta());
            assertInstanceOf(RopeScaling.None.class, c.ropeScaling());
            assertEquals(16, c.headDim());
            assertEquals(2, c.groupSize());
            assertEquals(1e-6, c.normEps());
            assertEquals(Activation.SILU, c.activation());
            assertEquals(false, c.tieWordEmbeddings());
            assertEquals(0, c.padTokenId());
        }

        @Test
        void qwen2HasQkvBiasTiedEmbeddingsAndTheta1e6() {
            ModelConfig c = ModelConfig.load(Fixtures.hf("qwen2-lm"));
            assertEquals(Architecture.QWEN2, c.architecture());
            assertEquals(1e6, c.ropeTheta());
            assertTrue(c.qkvBias());
            assertEquals(false, c.outputBias());
            assertTrue(c.tieWordEmbeddings());
            assertEquals(0, c.slidingWindow());
        }

        @Test
        void gpt2ReadsConv1dFamilyFields() {
            ModelConfig c = ModelConfig.load(Fixtures.hf("gpt2-rm"));
            assertEquals(Architecture.GPT2, c.architecture());
            assertEquals(Activation.GELU_TANH, c.activation());
            assertEquals(256, c.intermediateSize());
            assertEquals(128, c.maxPositions());
            assertEquals(1e-5, c.normEps());
            assertTrue(c.tieWordEmbeddings());
        }
    }

    @Nested
    class RopeFormats {
        @Test
        void legacyRopeThetaAndRopeScalingAreRead() throws IOException {
            ModelConfig c =
                    ModelConfig.load(
                            writeConfig(
                                    "{\"model_type\":\"llama\",\"vocab_size\":64,\"hidden_size\":32,"
                                        + "\"intermediate_size\":64,\"num_hidden_layers\":1,\"num_attention_heads\":4,\"num_key_value_heads\":1,"
                                        + "\"rope_theta\":500000.0,\"rope_scaling\":{\"rope_type\":\"llama3\",\"factor\":8.0,"
                                        + "\"low_freq_factor\":1.0,\"high_freq_factor\":4.0,\"original_max_position_embeddings\":8192},"
                                        + "\"eos_token_id\":[5,6]}"));
            assertEquals(500000.0, c.ropeTheta());
            assertEquals(new RopeScaling.Llama3(8.0, 1.0, 4.0, 8192), c.ropeScaling());
            assertEquals(4, c.groupSize());
            assertEquals(5, c.eosTokenId());
            assertEquals(-1, c.padTokenId());
        }

        @Test
        void newRopeParametersWithLlama3ScalingAreRead() throws IOException {
            ModelConfig c =
                    ModelConfig.load(
                            writeConfig(
                                    "{\"model_type\":\"llama\",\"vocab_size\":64,\"hidden_size\":32,"
                                        + "\"intermediate_size\":64,\"num_hidden_layers\":1,\"num_attention_heads\":4,"
                                        + "\"rope_parameters\":{\"rope_theta\":500000.0,\"rope_type\":\"llama3\",\"factor\":8.0,"
                                        + "\"low_freq_factor\":1.0,\"high_freq_factor\":4.0,\"original_max_position_embeddings\":8192}}"));
            assertEquals(500000.0, c.ropeTheta());
            assertInstanceOf(RopeScaling.Llama3.class, c.ropeScaling());
        }

        @Test
        void llama3FrequenciesMatchTheTransformersFormula() {
            // golden values: HF _compute_llama3_parameters for Llama 3.1 (theta 5e5, head_dim 128),
            // computed with numpy
            double[] inv = new RopeScaling.Llama3(8.0, 1.0, 4.0, 8192).invFreq(500000.0, 128);
            double[][] golden = {
                {0, 1.0},
                {20, 0.016560440883040428},
                {40, 3.428102354519069e-05},
                {45, 1.2297638932068367e-05},
                {50, 4.411534519022098e-06},
                {63, 3.068925877869333e-07}
            };
            for (double[] g : golden) {
                double actual = inv[(int) g[0]];
                assertEquals(g[1], actual, Math.abs(g[1]) * 1e-6, "inv_freq[" + (int) g[0] + "]");
            }
        }

        @Test
        void unsupportedRopeTypeListsTheSupportedOnes() throws IOException {
            Path dir =
                    writeConfig(
                            "{\"model_type\":\"llama\",\"vocab_size\":64,\"hidden_size\":32,"
                                + "\"intermediate_size\":64,\"num_hidden_layers\":1,\"num_attention_heads\":4,"
                                + "\"rope_parameters\":{\"rope_theta\":10000.0,\"rope_type\":\"yarn\",\"factor\":4.0}}");
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> ModelConfig.load(dir));
            assertTrue(
                    e.getMessage().contains("yarn")
                            && e.getMessage().contains("default, linear, llama3")
                            && e.getMessage().contains("config.json"),
                    e.getMessage());
        }
    }

    @Nested
    class Errors {
        @Test
        void unknownArchitectureListsSupportedModelTypesAndNamesTheFile() throws IOException {
            Path dir = writeConfig("{\"model_type\":\"falcon\",\"vocab_size\":64}");
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> ModelConfig.load(dir));
            assertTrue(e.getMessage().contains("falcon"), e.getMessage());
            assertTrue(e.getMessage().contains("llama, mistral, qwen2, gpt2"), e.getMessage());
            assertTrue(
                    e.getMessage().contains(dir.resolve("config.json").toString()), e.getMessage());
        }

        @Test
        void unsupportedActivationIsNamed() throws IOException {
            Path dir =
                    writeConfig(
                            "{\"model_type\":\"mistral\",\"vocab_size\":64,\"hidden_size\":32,"
                                + "\"intermediate_size\":64,\"num_hidden_layers\":1,\"num_attention_heads\":4,\"hidden_act\":\"xielu\"}");
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> ModelConfig.load(dir));
            assertTrue(
                    e.getMessage().contains("xielu") && e.getMessage().contains("silu"),
                    e.getMessage());
        }

        @Test
        void missingRequiredFieldNamesFieldAndFile() throws IOException {
            Path dir =
                    writeConfig(
                            "{\"model_type\":\"qwen2\",\"vocab_size\":64,\"hidden_size\":32,"
                                    + "\"num_attention_heads\":4,\"num_hidden_layers\":1}");
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> ModelConfig.load(dir));
            assertTrue(
                    e.getMessage().contains("intermediate_size")
                            && e.getMessage().contains("config.json"),
                    e.getMessage());
        }

        @Test
        void headsMustBeAMultipleOfKvHeads() {
            assertThrows(
                    IllegalArgumentException.class,
                    () -> ModelConfig.of(Architecture.LLAMA, 64, 48, 1, 6, 4, 64));
        }
    }
}
