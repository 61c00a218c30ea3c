package dev.reward4j.losses;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(NDManagerExtension.class)
class ReductionTest {
    NDManager m;

    @BeforeEach
    void open(NDManager manager) {
        m = manager;
    }

    @Test
    void weightedMeanDividesByTheSumOfWeights() {
        // (1*2 + 3*0 + 5*0.5) / 2.5 = 1.8
        NDArray v = m.create(new double[] {1, 3, 5});
        NDArray w = m.create(new double[] {2, 0, 0.5});
        assertEquals(1.8, Reduction.MEAN.reduce(v, w).getDouble(), 1e-15);
        assertEquals(4.5, Reduction.SUM.reduce(v, w).getDouble(), 1e-15);
        assertArrayEquals(new double[] {2, 0, 2.5}, Reduction.NONE.reduce(v, w).toDoubleArray(), 0);
        assertEquals(3, Reduction.MEAN.reduce(v, null).getDouble(), 1e-15);
    }

    @Test
    void fullyMaskedMeanIsZeroWithZeroGradientEvenForNonFiniteFreeValues() {
        NDArray v = m.create(new double[] {1e30, -4, 7});
        v.setRequiresGradient(true);
        NDArray loss;
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            loss = Reduction.MEAN.reduce(v.mul(2), v.zerosLike());
            gc.backward(loss);
        }
        assertEquals(0, loss.getDouble(), 0);
        assertArrayEquals(new double[3], v.getGradient().toDoubleArray(), 0);
    }

    @Test
    void emptyBatchMeanIsZero() {
        NDArray v = m.create(new double[0]);
        assertEquals(0, Reduction.MEAN.reduce(v, null).getDouble(), 0);
    }
}
