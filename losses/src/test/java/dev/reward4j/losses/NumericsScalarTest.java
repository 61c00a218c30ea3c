package dev.reward4j.losses;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code Numerics.scalar}: an engine-owned 0-d constant in the operand's dtype, without precision
 * loss (the same semantics as {@code Ops.scalar} in core and {@code Scalars.of} in trainers).
 */
@ExtendWith(NDManagerExtension.class)
class NumericsScalarTest {
    @Test
    void aFloat64OperandGetsTheExactDouble(NDManager manager) {
        NDArray c = Numerics.scalar(manager.create(new double[] {1, 2}), 0.1);
        assertEquals(DataType.FLOAT64, c.getDataType());
        assertEquals(0, c.getShape().dimension());
        assertEquals(0.1, c.getDouble(), 0);
    }

    @Test
    void aFloat32OperandGetsTheValueRoundedOnceToFloat(NDManager manager) {
        NDArray c = Numerics.scalar(manager.create(new float[] {1f}), 1.0 / 3);
        assertEquals(DataType.FLOAT32, c.getDataType());
        assertEquals((float) (1.0 / 3), c.getFloat(), 0);
    }
}
