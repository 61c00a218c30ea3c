package dev.reward4j.trainers.app.spark;

import dev.reward4j.core.data.RawRow;
import dev.reward4j.core.data.Source;
import java.io.Serializable;

/**
 * One input row on its way to a partition function: its file and 1-based line (or Parquet row), and
 * the row as UTF-8 JSON bytes (a JSON Lines line as read, or a Parquet or Dataset row converted by
 * {@link SparkRowJson}).
 *
 * @param file the file, as given (or {@code <dataset>})
 * @param line the 1-based line or row number
 * @param json the row's bytes
 */
record InputRow(String file, long line, byte[] json) implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Parsed as {@code DataReader} parses a JSON Lines line (null for a blank line). */
    RawRow raw() {
        return RawRow.jsonLine(new Source(file, line), json);
    }
}
