package dev.reward4j.core.data;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A stream of raw rows from one file (JSONL, gzipped JSONL or Parquet). Package-private plumbing of
 * DataReader.
 */
interface RowSource extends AutoCloseable {
    /**
     * The next row as JSON, or null at the end. A malformed row throws {@link DataFormatException}
     * and the source stays usable (the next call continues with the following row).
     */
    JsonNode next();

    /** 1-based line/row number of the row last returned (or that failed). */
    long line();

    @Override
    void close();
}
