package dev.reward4j.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MemoryTest {
    static final int STEPS = Integer.getInteger("memtest.steps", 300);

    static long rssKb() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }

    @ParameterizedTest
    @CsvSource({"LLAMA,REWARD,FUSED", "QWEN2,LM,EAGER", "GPT2,LM,FUSED"})
    void manyForwardBackwardStepsLeaveModelArraysAndRssFlat(
            Architecture arch, String headName, AttentionImpl impl) throws IOException {
        ModelHead head = headName.equals("LM") ? ModelHead.LM : ModelHead.REWARD;
        ModelConfig config = ModelConfig.of(arch, 256, 32, 2, 4, 2, 64).withMaxPositions(64);
        try (DecoderModel model =
                DecoderModel.create(config, head, 1, ModelOptions.defaults().withAttention(impl))) {
            model.setTrainable(true);
            int before = model.manager().getManagedArrays().size();
            long rssWarm = 0;
            for (int step = 0; step < STEPS; step++) {
                try (NDManager m = model.manager().newSubManager()) {
                    NDArray ids = m.randomInteger(3, 256, new Shape(8, 32), DataType.INT64);
                    NDArray mask = m.ones(new Shape(8, 32), DataType.INT64);
                    mask.set(new ai.djl.ndarray.index.NDIndex("0, 20:"), 0);
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        NDArray out =
                                head instanceof ModelHead.Lm
                                        ? model.tokenLogps(ids, mask)
                                        : model.scores(ids, mask);
                        gc.backward(out.mean());
                    }
                }
                if (step == 49) {
                    rssWarm = rssKb();
                }
            }
            int after = model.manager().getManagedArrays().size();
            long rssEnd = rssKb();
            System.out.printf(
                    "memory %s %s %s: arrays %d -> %d, RSS %d -> %d kB after %d steps%n",
                    arch, headName, impl, before, after, rssWarm, rssEnd, STEPS);
            assertEquals(before, after, "model manager array count");
            // Leaking one step's activations (about 1 MB at this size) would add > 200 MB over the
            // measured 250 steps;
            // the allowance covers Java young-generation pages being touched for the first time
            // (RSS includes the heap).
            assertTrue(rssEnd - rssWarm < 64_000, "RSS grew by " + (rssEnd - rssWarm) + " kB");
            try (NDArray g = model.parameters().values().iterator().next().getGradient()) {
                float gsum = g.abs().sum().getFloat();
                assertTrue(
                        gsum > 0,
                        "gradients flowed: |grad| sum "
                                + gsum
                                + " nan "
                                + g.isNaN().any().getBoolean());
            }
        }
    }
}
