package dev.reward4j.trainers.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class GlobalNormClipTest {
    private NDManager manager;
    private NDArray a;
    private NDArray b;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager();
        a = manager.create(new float[] {0f, 0f});
        b = manager.create(new float[] {0f});
        a.setRequiresGradient(true);
        b.setRequiresGradient(true);
        // gradients: a -> (3, 0), b -> (4): global norm 5
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray loss = a.mul(manager.create(new float[] {3f, 0f})).sum().add(b.mul(4f).sum());
            gc.backward(loss);
        }
    }

    @AfterEach
    void close() {
        manager.close();
    }

    private float[] grad(NDArray p) {
        try (NDArray g = p.getGradient()) {
            return g.toFloatArray();
        }
    }

    @Nested
    class Clipping {
        @Test
        void returnsTheGlobalNormAndTheClipFactor() {
            GlobalNormClip.Result r = new GlobalNormClip(1.0).apply(List.of(a, b), 1.0);
            assertEquals(5.0, r.norm(), 1e-6);
            assertEquals(1.0 / (5.0 + 1e-6), r.gradMultiplier(), 1e-12);
            assertArrayEquals(new float[] {3f, 0f}, grad(a)); // gradients are not modified
        }

        @Test
        void leavesSmallGradientsAlone() {
            GlobalNormClip.Result r = new GlobalNormClip(10.0).apply(List.of(a, b), 1.0);
            assertEquals(5.0, r.norm(), 1e-6);
            assertEquals(1.0, r.gradMultiplier());
        }

        @Test
        void measuresAfterDividingByTheLossScale() {
            GlobalNormClip.Result r = GlobalNormClip.none().apply(List.of(a, b), 4.0);
            assertEquals(1.25, r.norm(), 1e-6); // 5 / 4
            assertEquals(0.25, r.gradMultiplier());
        }

        @Test
        void doesNotOverflowOnHugeScaledGradients() {
            // 2^120 * 5 squared overflows float32; dividing first keeps the norm finite
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                gc.backward(
                        a.mul(manager.create(new float[] {(float) Math.pow(2, 120), 0f})).sum());
            }
            GlobalNormClip.Result r = GlobalNormClip.none().apply(List.of(a), Math.pow(2, 120));
            assertEquals(
                    1.0, r.norm(),
                    1e-6); // grad(a) = (3 + 2^120, 0) = (2^120, 0) in float32; / 2^120 = (1, 0)
        }

        @Test
        void closesEveryGradientHandle() {
            long before = manager.getManagedArrays().size();
            for (int i = 0; i < 5; i++) {
                new GlobalNormClip(1.0).apply(List.of(a, b), 1.0);
            }
            assertEquals(before, manager.getManagedArrays().size());
        }
    }

    @Nested
    class NonFinite {
        @Test
        void reportsANonFiniteNormWithoutAMultiplier() {
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                gc.backward(a.mul(Float.NaN).sum());
            }
            GlobalNormClip.Result r = new GlobalNormClip(1.0).apply(List.of(a, b), 1.0);
            assertTrue(Double.isNaN(r.norm()));
            assertTrue(Double.isNaN(r.gradMultiplier()));
        }
    }
}
