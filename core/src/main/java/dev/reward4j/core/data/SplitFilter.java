package dev.reward4j.core.data;

import java.util.Objects;

/**
 * Keeps the rows of one split of a file whose rows carry their split in a column (e.g. {@code
 * nvidia/HelpSteer2}'s {@code preference.jsonl.gz}: {@code "split": "train"} or {@code "val"} in
 * one file). A filter wraps any {@link Format}: rows of other splits are counted as filtered
 * ({@code DataCounters.filteredCount()}) and never reach the format; a row without the column is an
 * error naming file, line and field.
 *
 * <p>{@link #only(String)} keeps the rows whose split equals a value, {@link #allBut(String)} the
 * rows whose split differs from it. NVIDIA's HelpSteer2-Preference preprocessing ({@code split ==
 * "train"} to training, anything else to validation) is {@code only("train")} for the training file
 * and {@code allBut("train")} for the held-out file.
 *
 * @param column the split column (a dotted path is allowed, as in {@link Row})
 * @param value the split value the rule compares with
 * @param keep which rows are kept
 */
public record SplitFilter(String column, String value, Keep keep) implements java.io.Serializable {
    /** The usual split column name. */
    public static final String COLUMN = "split";

    /** Which rows a {@link SplitFilter} keeps. */
    public enum Keep {
        /** Rows whose split equals the value. */
        EQUAL,
        /** Rows whose split differs from the value. */
        OTHER
    }

    /** Validates the fields. */
    public SplitFilter {
        Objects.requireNonNull(keep, "SplitFilter: keep");
        if (column == null || column.isBlank() || value == null || value.isBlank()) {
            throw new IllegalArgumentException(
                    "SplitFilter: column ("
                            + column
                            + ") and value ("
                            + value
                            + ") must be non-blank");
        }
    }

    /** Rows whose {@value #COLUMN} column equals {@code value}. */
    public static SplitFilter only(String value) {
        return new SplitFilter(COLUMN, value, Keep.EQUAL);
    }

    /** Rows whose {@value #COLUMN} column differs from {@code value}. */
    public static SplitFilter allBut(String value) {
        return new SplitFilter(COLUMN, value, Keep.OTHER);
    }

    /** Whether a row with split {@code split} is kept. */
    public boolean keeps(String split) {
        return value.equals(split) == (keep == Keep.EQUAL);
    }

    /** {@code format} reading only the rows this filter keeps. */
    public <T> Format<T> on(Format<T> format) {
        Objects.requireNonNull(format, "SplitFilter: format");
        return (row, out) -> {
            if (!row.has(column)) {
                throw row.error(
                        column,
                        "missing",
                        "a split value: the split selector keeps the rows with " + this);
            }
            if (keeps(row.string(column))) {
                format.read(row, out);
            } else {
                row.filtered();
            }
        };
    }

    @Override
    public String toString() {
        return column + (keep == Keep.EQUAL ? " == " : " != ") + "'" + value + "'";
    }
}
