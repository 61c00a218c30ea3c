package dev.reward4j.core.data;

import ai.djl.ndarray.NDArray;

/** Closes the arrays of a batch record (package-private helper shared by the batch records). */
final class BatchArrays {
    private BatchArrays() {}

    /** Closes every non-null array. */
    static void closeAll(NDArray... arrays) {
        for (NDArray a : arrays) {
            if (a != null) {
                a.close();
            }
        }
    }
}
