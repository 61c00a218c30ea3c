package dev.reward4j.core.data;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A stream of raw rows (JSON Lines, gzipped JSON Lines or Parquet files, or {@link RawRow}s from
 * elsewhere). Package-private plumbing of DataReader and {@link RecordStream}.
 */
interface RowSource extends AutoCloseable {
    /**
     * The next row as JSON, or null at the end. A malformed row throws {@link DataFormatException}
     * and the source stays usable (the next call continues with the following row).
     */
    JsonNode next();

    /** The file of the row last returned (or that failed), as given to the reader. */
    String file();

    /** 1-based line/row number of the row last returned (or that failed). */
    long line();

    @Override
    void close();
}
