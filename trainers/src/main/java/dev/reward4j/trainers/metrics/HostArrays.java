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

    /**
     * The sum of the values of {@code array}, computed in float64 on its device; one host read.
     * Temporary copies are closed before returning.
     */
    public static double sum(NDArray array) {
        try (NDArray copy = array.toType(DataType.FLOAT64, true);
                NDArray total = copy.sum()) {
            return total.getDouble();
        }
    }

    /** True when every value of every array is finite (neither NaN nor infinite). */
    public static boolean allFinite(double[]... arrays) {
        for (double[] a : arrays) {
            for (double v : a) {
                if (!Double.isFinite(v)) {
                    return false;
                }
            }
        }
        return true;
    }
}
