package dev.reward4j.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.reward4j.core.testing.NativeMemory;
import java.io.IOException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MemoryTest {
    static final int STEPS = Integer.getInteger("memtest.steps", 300);

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
            long[] nativeKib = new long[(STEPS - 50) / 25 + 1];
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
                if (step >= 49 && (step - 49) % 25 == 0 && (step - 49) / 25 < nativeKib.length) {
                    nativeKib[(step - 49) / 25] = NativeMemory.nativeKib();
                }
            }
            int after = model.manager().getManagedArrays().size();
            double growth = NativeMemory.growthPerStepKib(nativeKib, 25);
            System.out.printf(
                    "memory %s %s %s: arrays %d -> %d, native %s, trend %.2f KiB/step over %d"
                            + " steps%n",
                    arch,
                    headName,
                    impl,
                    before,
                    after,
                    NativeMemory.describe(nativeKib),
                    growth,
                    STEPS);
            assertEquals(before, after, "model manager array count");
            // Leaking one step's activations (about 1 MB at this size) would be ~1000 KiB/step; the
            // allowance is 1/16 of that (allocator noise measured 0.2-13 KiB/step).
            assertTrue(
                    growth < 64,
                    "native memory grows "
                            + growth
                            + " KiB/step: "
                            + NativeMemory.describe(nativeKib));
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
