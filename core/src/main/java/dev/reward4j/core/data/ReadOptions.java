package dev.reward4j.core.data;

/**
 * Reader options.
 *
 * @param lenient skip malformed rows (counted as skipped, with their lines) instead of failing on
 *     the first one
 * @param maxRows stop after this many rows ({@code Long.MAX_VALUE} = all)
 */
public record ReadOptions(boolean lenient, long maxRows) {
    /** Validates the fields. */
    public ReadOptions {
        if (maxRows <= 0) {
            throw new IllegalArgumentException(
                    "ReadOptions: maxRows (" + maxRows + ") <= 0; expected > 0");
        }
    }

    /** Strict, all rows. */
    public static ReadOptions defaults() {
        return new ReadOptions(false, Long.MAX_VALUE);
    }

    /** With lenient mode on or off. */
    public ReadOptions withLenient(boolean lenient) {
        return new ReadOptions(lenient, maxRows);
    }

    /** With a row limit. */
    public ReadOptions withMaxRows(long maxRows) {
        return new ReadOptions(lenient, maxRows);
    }
}
