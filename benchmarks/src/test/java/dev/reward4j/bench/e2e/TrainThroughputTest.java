package dev.reward4j.bench.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrainThroughputTest {
    @Test
    void tinyConfigurationsPrintOneJsonLineEachWithPositiveMeasurements() throws Exception {
        List<ThroughputConfig> configs =
                TrainThroughput.parse(
                        "--model",
                        "tiny",
                        "--seq",
                        "16",
                        "--batch",
                        "2",
                        "--layout",
                        "padded,packed",
                        "--warmup",
                        "1",
                        "--steps",
                        "2");
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        List<Map<String, Object>> rows =
                TrainThroughput.run(configs, new PrintStream(buf, true, StandardCharsets.UTF_8));

        String[] lines = buf.toString(StandardCharsets.UTF_8).trim().split("\n");
        assertEquals(2, lines.length);
        assertEquals(2, rows.size());
        for (String line : lines) {
            JsonNode j = new ObjectMapper().readTree(line);
            for (String key :
                    new String[] {
                        "tokens_per_s",
                        "pairs_per_s",
                        "step_ms_p50",
                        "step_ms_p90",
                        "model_gflops_per_s",
                        "peak_matmul_gflops_per_s",
                        "mfu",
                        "peak_rss_mib"
                    }) {
                assertTrue(j.get(key).asDouble() > 0, key + " in " + line);
            }
            assertTrue(j.get("step_ms_p90").asDouble() >= j.get("step_ms_p50").asDouble(), line);
            assertTrue(j.get("mfu").asDouble() < 1, line);
            assertEquals(-1.0, j.get("device_mem_used_mib").asDouble(), line); // CPU
        }
        JsonNode padded = new ObjectMapper().readTree(lines[0]);
        JsonNode packed = new ObjectMapper().readTree(lines[1]);
        assertEquals("padded", padded.get("layout").asText());
        assertEquals("packed", packed.get("layout").asText());
        // packing never pads more than padding to the longest row does
        assertTrue(
                packed.get("padding_fraction").asDouble()
                        <= padded.get("padding_fraction").asDouble() + 1e-9);
    }

    @Test
    void theGpuBenchmarkModeRunsOnTheCpuAtATinySize() throws Exception {
        // --preset gpu (float16 mixed precision, fused attention, packing, loss scaling) with the
        // model, length and device overridden: the GPU code path, small enough for a CPU test
        List<ThroughputConfig> configs =
                TrainThroughput.parse(
                        "--preset",
                        "gpu",
                        "--model",
                        "tiny",
                        "--seq",
                        "32",
                        "--batch",
                        "2",
                        "--device",
                        "cpu",
                        "--warmup",
                        "1",
                        "--steps",
                        "2",
                        "--profile",
                        "ops");
        ThroughputConfig c = configs.get(0);
        assertEquals(ai.djl.ndarray.types.DataType.FLOAT16, c.dtype());
        assertEquals(dev.reward4j.core.model.AttentionImpl.FUSED, c.attention());
        assertEquals(ThroughputConfig.Layout.PACKED, c.layout());
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        TrainThroughput.run(configs, new PrintStream(buf, true, StandardCharsets.UTF_8));
        JsonNode j = new ObjectMapper().readTree(buf.toString(StandardCharsets.UTF_8).trim());
        assertEquals("float16", j.get("dtype").asText());
        assertTrue(j.get("tokens_per_s").asDouble() > 0, j.toString());
        assertTrue(j.get("mfu").asDouble() > 0, j.toString()); // against a float16 matmul peak
        assertTrue(j.get("optimizer_fused").asBoolean(), j.toString());
        assertTrue(j.get("profile").get("categories").has("matmul"), j.toString());
        assertTrue(j.get("loss_optimizer_share").asDouble() > 0, j.toString());
        // the Qwen2.5-0.5B shape of the preset: 24 x (2*896^2 + 2*896*128 + 3*896*4864)
        ThroughputConfig qwen = TrainThroughput.parse("--preset", "gpu").get(0);
        assertEquals(
                24L * (2L * 896 * 896 + 2L * 896 * 128 + 3L * 896 * 4864),
                qwen.nonEmbeddingParams());
        assertEquals(151936, qwen.vocab());
        assertEquals(1024, qwen.seqLen());
        assertEquals(8, qwen.batchPairs());
    }

    @Test
    void percentileIsTheNearestRank() {
        double[] v = {5, 1, 4, 2, 3};
        assertEquals(3, TrainThroughput.percentile(v, 0.5));
        assertEquals(5, TrainThroughput.percentile(v, 0.9));
        assertEquals(1, TrainThroughput.percentile(v, 0.01));
    }

    @Test
    void optionsExpandToTheCrossProductAndRejectUnknownNames() {
        assertEquals(
                8,
                TrainThroughput.parse(
                                "--seq",
                                "32,64",
                                "--attention",
                                "eager,fused",
                                "--layout",
                                "padded,packed")
                        .size());
        assertThrows(
                IllegalArgumentException.class, () -> TrainThroughput.parse("--model", "huge"));
        assertThrows(IllegalArgumentException.class, () -> TrainThroughput.parse("--color", "red"));
    }

    @Test
    void flopCountMatchesTheClosedForm() {
        // d=32, 1 layer, 2 heads, 1 kv head, mlp 64: attention 2*32*32 + 2*32*16 = 3072, mlp
        // 3*32*64 = 6144
        ThroughputConfig c = TrainThroughput.parse("--model", "tiny").get(0);
        assertEquals(9216, c.nonEmbeddingParams());
        assertEquals(6.0 * 9216 * 100 + 6.0 * 1 * 10 * 32 * 100, c.modelFlops(100, 10), 1e-6);
    }
}
