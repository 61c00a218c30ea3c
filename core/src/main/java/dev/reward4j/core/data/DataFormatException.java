package dev.reward4j.core.data;

/**
 * Bad input: names the file, the 1-based line (or Parquet row), the field, what was found and what
 * was expected. In lenient mode the reader counts the row as skipped instead of throwing.
 */
public final class DataFormatException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final transient Source source;
    private final String field;

    /**
     * Creates the exception.
     *
     * @param source file and line
     * @param field the field (JSON path) or {@code "<line>"} for the whole line
     * @param problem what is wrong, with the actual value
     * @param expected what was expected
     */
    public DataFormatException(Source source, String field, String problem, String expected) {
        super("data: " + source + " field '" + field + "': " + problem + "; expected " + expected);
        this.source = source;
        this.field = field;
    }

    /** Where the bad row is. */
    public Source source() {
        return source;
    }

    /** The offending field. */
    public String field() {
        return field;
    }
}
