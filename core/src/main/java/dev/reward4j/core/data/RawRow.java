package dev.reward4j.core.data;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * One input row before a {@link Format} reads it: where it is and its JSON object, or the {@link
 * DataFormatException} that made it unreadable (invalid UTF-8, malformed JSON, not an object). A
 * {@link RecordStream} over raw rows ({@link RecordStream#over}) reads them exactly as {@link
 * DataReader} reads a file: a failed row fails the stream in strict mode and is counted as skipped
 * in lenient mode.
 *
 * @param source file and 1-based line (or Parquet row)
 * @param json the row, a JSON object; null when {@code error} is set
 * @param error why the row is unreadable; null when {@code json} is set
 */
public record RawRow(Source source, JsonNode json, DataFormatException error) {
    /** Requires exactly one of {@code json} and {@code error}. */
    public RawRow {
        Objects.requireNonNull(source, "source");
        if ((json == null) == (error == null)) {
            throw new IllegalArgumentException(
                    "RawRow at " + source + ": expected exactly one of json and error");
        }
        if (json != null && !json.isObject()) {
            throw new IllegalArgumentException(
                    "RawRow at " + source + ": a JSON " + Row.type(json) + "; expected an object");
        }
    }

    /** A readable row. */
    public static RawRow of(Source source, JsonNode json) {
        return new RawRow(source, json, null);
    }

    /** An unreadable row. */
    public static RawRow failed(DataFormatException error) {
        return new RawRow(error.source(), null, error);
    }

    /**
     * True for a line (its bytes without the newline) that {@link DataReader} skips as blank: only
     * spaces, tabs and carriage returns. Blank lines count in the line numbers but are no rows.
     */
    public static boolean isBlankLine(byte[] bytes) {
        return JsonlRows.isBlank(bytes, bytes.length);
    }

    /**
     * One line of a JSON Lines file (its bytes without the newline) parsed exactly as {@link
     * DataReader} parses it: null for a blank line (blank lines carry no row but count in the line
     * numbers), a failed row for invalid UTF-8, malformed JSON or a value other than an object. A
     * UTF-8 byte order mark is dropped from line 1.
     *
     * @param source file and 1-based line
     * @param bytes the line's bytes
     * @return the row, or null for a blank line
     */
    public static RawRow jsonLine(Source source, byte[] bytes) {
        try {
            JsonNode node = JsonlRows.parseLine(source, bytes, bytes.length, source.line() == 1);
            return node == null ? null : of(source, node);
        } catch (DataFormatException e) {
            return failed(e);
        }
    }
}
