package dev.reward4j.trainers.objective;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/** Host copies of small arrays for metrics. */
final class Host {
    private Host() {}

    static double[] doubles(NDArray a) {
        return a.toType(DataType.FLOAT64, false).toDoubleArray();
    }

    static double sum(NDArray a) {
        return a.toType(DataType.FLOAT64, false).sum().getDouble();
    }

    static boolean finite(double[] values) {
        for (double v : values) {
            if (!Double.isFinite(v)) {
                return false;
            }
        }
        return true;
    }
}
