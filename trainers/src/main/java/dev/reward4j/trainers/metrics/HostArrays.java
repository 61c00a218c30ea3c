package dev.reward4j.trainers.metrics;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/**
 * Copies NDArrays to host {@code double[]} for the metric calculators (metrics never take part in
 * autograd).
 */
public final class HostArrays {
    private HostArrays() {}

    /**
     * The values of {@code array} (any shape, row-major) as doubles; null for null. A float64 copy
     * is made on the array's manager and closed before returning, so nothing stays attached.
     */
    public static double[] of(NDArray array) {
        if (array == null) {
            return null;
        }
        if (array.getDataType() == DataType.FLOAT64) {
            return array.toDoubleArray();
        }
        try (NDArray copy = array.toType(DataType.FLOAT64, true)) {
            return copy.toDoubleArray();
        }
    }
}
