package dev.reward4j.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Gradients do not depend on garbage collection between forward and backward. DJL's {@code
 * mul(Number)} keeps a {@code from_blob} view of a JVM buffer in the autograd graph; if a
 * collection frees it before backward, gradients become garbage. The model therefore builds every
 * constant it multiplies by with {@code Ops.scalar}. This test runs the same forward/backward with
 * and without a collection (plus direct-buffer churn that reuses freed memory) in between and
 * requires identical gradients.
 */
class GradientLifetimeTest {
    private static void churn() {
        for (int round = 0; round < 3; round++) {
            for (int k = 0; k < 500; k++) {
                ByteBuffer.allocateDirect(4).putFloat(0, 12345f);
            }
            System.gc();
        }
    }

    private static List<float[]> gradients(DecoderModel model, boolean collect) {
        try (NDManager m = model.manager().newSubManager()) {
            NDArray ids = m.arange(3, 51, 1, DataType.INT64).reshape(new Shape(3, 16));
            NDArray mask = m.ones(new Shape(3, 16), DataType.INT64);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray out =
                        model.head() instanceof ModelHead.Lm
                                ? model.tokenLogps(ids, mask)
                                : model.scores(ids, mask);
                NDArray loss = out.sum();
                if (collect) {
                    churn();
                }
                gc.backward(loss);
            }
            List<float[]> grads = new ArrayList<>();
            for (NDArray p : model.parameters().values()) {
                try (NDArray g = p.getGradient()) {
                    grads.add(g.toFloatArray());
                    g.subi(g); // zero for the next run
                }
            }
            return grads;
        }
    }

    @ParameterizedTest
    @CsvSource({"GPT2,REWARD,EAGER", "LLAMA,LM,EAGER", "QWEN2,REWARD,FUSED"})
    void gradientsAreTheSameWithAGarbageCollectionBeforeBackward(
            Architecture arch, String head, AttentionImpl impl) {
        ModelConfig config = ModelConfig.of(arch, 64, 32, 2, 4, 2, 64).withMaxPositions(32);
        ModelHead h = head.equals("LM") ? ModelHead.LM : ModelHead.REWARD;
        try (DecoderModel model =
                DecoderModel.create(config, h, 7, ModelOptions.defaults().withAttention(impl))) {
            model.setTrainable(true);
            List<float[]> plain = gradients(model, false);
            for (int run = 0; run < 5; run++) {
                List<float[]> collected = gradients(model, true);
                for (int i = 0; i < plain.size(); i++) {
                    float[] a = plain.get(i);
                    float[] b = collected.get(i);
                    for (int j = 0; j < a.length; j++) {
                        assertEquals(
                                a[j],
                                b[j],
                                1e-6f * (1 + Math.abs(a[j])),
                                "run " + run + ", parameter " + i + "[" + j + "]");
                    }
                }
            }
        }
    }
}
