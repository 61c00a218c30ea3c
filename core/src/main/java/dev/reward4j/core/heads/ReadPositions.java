package dev.reward4j.core.heads;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/** Where heads are read in a padded batch (the rows of a pair batch, left or right padded). */
public final class ReadPositions {
    private ReadPositions() {}

    /**
     * The last prompt position of each row: the first response position minus 1 (at least 0). In a
     * causal model the hidden state there depends on the prompt only, so a router or gate read
     * there is a function of the prompt, equal for the chosen and the rejected row of a pair.
     *
     * @param responseMask (N, T) float, 1 on response tokens (every row has at least one)
     * @return (N) int64, attached to the manager of {@code responseMask}
     */
    public static NDArray promptEnd(NDArray responseMask) {
        NDArray first = responseMask.argMax(1).toType(DataType.INT64, false);
        return first.sub(1).maximum(0);
    }

    /**
     * Row numbers {@code 0..n-1}.
     *
     * @param like an array whose manager receives the result
     * @param n number of rows
     * @return (n) int64
     */
    public static NDArray rows(NDArray like, long n) {
        return like.getManager().arange(0, (int) n, 1, DataType.INT64);
    }

    /** Checks that {@code model} has a reward head with exactly {@code columns} outputs. */
    static void requireColumns(
            dev.reward4j.core.model.DecoderModel model, int columns, String head) {
        if (!(model.head() instanceof dev.reward4j.core.model.ModelHead.Reward r)
                || r.numLabels() != columns) {
            throw new IllegalArgumentException(
                    head
                            + ": the model has head "
                            + model.head()
                            + "; expected ModelHead.reward("
                            + columns
                            + ") (create or load the model with "
                            + head
                            + ".modelHead())");
        }
    }
}
