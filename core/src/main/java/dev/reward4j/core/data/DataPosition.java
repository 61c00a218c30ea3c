package dev.reward4j.core.data;

/**
 * A resumable position in the data: epoch and index within that epoch's order. With the same {@link
 * Sampler} (same seed) the remaining examples of the epoch are {@code sampler.order(n,
 * epoch)[index..]}.
 *
 * @param epoch 0-based epoch
 * @param index 0-based position within the epoch's order
 */
public record DataPosition(long epoch, long index) {
    /** Validates the fields. */
    public DataPosition {
        if (epoch < 0 || index < 0) {
            throw new IllegalArgumentException(
                    "DataPosition: ("
                            + epoch
                            + ", "
                            + index
                            + "); expected epoch >= 0 and index >= 0");
        }
    }

    /** The start of training. */
    public static DataPosition start() {
        return new DataPosition(0, 0);
    }

    /**
     * The position {@code count} examples later in an epoch of {@code n} examples (rolling into the
     * next epoch).
     */
    public DataPosition advance(long count, long n) {
        long i = index + count;
        return new DataPosition(epoch + i / n, i % n);
    }
}
