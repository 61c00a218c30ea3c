package dev.reward4j.core.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

/**
 * Splits per-row arrays of a collated batch into its consecutive blocks: a {@link PairBatch} holds
 * chosen rows {@code [0, B)} then rejected rows {@code [B, 2B)}, a triple batch three blocks. The
 * parts are views attached to the manager of {@code rows}.
 */
public final class RowBlocks {
    private RowBlocks() {}

    /**
     * Splits {@code (kB, ...)} rows into {@code k} consecutive blocks of {@code B} rows.
     *
     * @param rows an array whose first dimension is a multiple of {@code k}
     * @param k the number of blocks, at least 1
     * @return the {@code k} blocks in order
     */
    public static NDList split(NDArray rows, int k) {
        long n = rows.getShape().get(0);
        if (k < 1 || n % k != 0) {
            throw new IllegalArgumentException(
                    "RowBlocks: cannot split "
                            + n
                            + " rows into "
                            + k
                            + " equal blocks; expected a multiple of k >= 1");
        }
        long b = n / k;
        NDList out = new NDList(k);
        for (int i = 0; i < k; i++) {
            out.add(rows.get((i * b) + ":" + ((i + 1) * b)));
        }
        return out;
    }

    /**
     * The chosen half {@code [0, B)} and the rejected half {@code [B, 2B)} of {@code (2B, ...)}
     * rows.
     *
     * @param rows per-row values of a {@link PairBatch} layout
     * @return chosen then rejected
     */
    public static NDList halves(NDArray rows) {
        return split(rows, 2);
    }
}
