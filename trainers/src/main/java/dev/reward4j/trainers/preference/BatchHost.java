package dev.reward4j.trainers.preference;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;

/** Host copies and row splits shared by the objectives of this package. */
final class BatchHost {
    private BatchHost() {}

    static double[] doubles(NDArray a) {
        return a.toType(DataType.FLOAT64, false).toDoubleArray();
    }

    static double sum(NDArray a) {
        double s = 0;
        for (double v : doubles(a)) {
            s += v;
        }
        return s;
    }

    static boolean finite(double[]... arrays) {
        for (double[] a : arrays) {
            for (double v : a) {
                if (!Double.isFinite(v)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Splits {@code (k B, ...)} rows into k consecutive blocks of B. */
    static NDList blocks(NDArray rows, int k) {
        long b = rows.getShape().get(0) / k;
        NDList out = new NDList();
        for (int i = 0; i < k; i++) {
            out.add(rows.get((i * b) + ":" + ((i + 1) * b)));
        }
        return out;
    }
}
