package dev.reward4j.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/**
 * {@code Ops.scalar}: an engine-owned 0-d constant in the operand's dtype, without precision loss
 * (the same semantics as {@code Numerics.scalar} in losses and {@code Scalars.of} in trainers).
 */
class OpsScalarTest {
    @Test
    void aFloat64OperandGetsTheExactDouble() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            NDArray x = m.create(new double[] {1, 2});
            NDArray c = Ops.scalar(x, 0.1);
            assertEquals(DataType.FLOAT64, c.getDataType());
            assertEquals(0, c.getShape().dimension());
            // a float cast would give 0.10000000149011612
            assertEquals(0.1, c.getDouble(), 0);
            assertEquals(0.30000000000000004, x.mul(c).getDouble(1) + 0.1, 0);
        }
    }

    @Test
    void aFloat32OperandGetsTheValueRoundedOnceToFloat() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            NDArray c = Ops.scalar(m.create(new float[] {1f}), 1.0 / 3);
            assertEquals(DataType.FLOAT32, c.getDataType());
            assertEquals((float) (1.0 / 3), c.getFloat(), 0);
        }
    }

    @Test
    void aFloat64ScalarSurvivesGarbageCollectionBetweenForwardAndBackward() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            for (int it = 0; it < 20; it++) {
                try (NDManager step = m.newSubManager()) {
                    NDArray x = step.create(new double[] {1, 2, 3});
                    x.setRequiresGradient(true);
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        NDArray y = x.mul(Ops.scalar(x, 0.1)).sum();
                        for (int k = 0; k < 200; k++) {
                            ByteBuffer.allocateDirect(8).putDouble(0, 12345.0);
                        }
                        System.gc();
                        gc.backward(y);
                    }
                    try (NDArray g = x.getGradient()) {
                        assertEquals(0.1, g.toDoubleArray()[1], 0, "iteration " + it);
                    }
                }
            }
        }
    }
}
