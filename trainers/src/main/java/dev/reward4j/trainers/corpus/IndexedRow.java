package dev.reward4j.trainers.corpus;

import dev.reward4j.core.data.RawRow;
import java.util.Objects;

/**
 * A raw input row with its 0-based position in the whole input (rows counted over the input files
 * in order; blank lines are not rows). The position decides which rows share a model batch ({@link
 * RowBlocks}), so batches do not depend on how the input is cut into partitions.
 *
 * @param index the row's 0-based position in the input
 * @param row the row
 */
public record IndexedRow(long index, RawRow row) {
    /** Requires the row and a position {@code >= 0}. */
    public IndexedRow {
        Objects.requireNonNull(row, "row");
        if (index < 0) {
            throw new IllegalArgumentException("IndexedRow: index (" + index + ") < 0");
        }
    }
}
