package dev.reward4j.core.data;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * The raw rows of one data file (JSON Lines, gzipped JSON Lines or Parquet, chosen as {@link
 * DataReader} chooses), in file order, each as a {@link RawRow}: an unreadable row is returned as a
 * failed row and the next one is still read. Blank lines are left out. Close it after use.
 */
public final class RawRows implements Iterator<RawRow>, AutoCloseable {
    private final RowSource rows;
    private RawRow next;
    private boolean done;

    private RawRows(RowSource rows) {
        this.rows = rows;
    }

    /**
     * Opens {@code file}.
     *
     * @throws IllegalArgumentException when the file does not exist or is not readable Parquet
     */
    public static RawRows open(Path file) {
        return new RawRows(DataReader.rowsOf(file));
    }

    @Override
    public boolean hasNext() {
        if (next == null && !done) {
            try {
                JsonNode node = rows.next();
                if (node == null) {
                    done = true;
                } else {
                    next = RawRow.of(new Source(rows.file(), rows.line()), node);
                }
            } catch (DataFormatException e) {
                next = RawRow.failed(e);
            }
        }
        return next != null;
    }

    @Override
    public RawRow next() {
        if (!hasNext()) {
            throw new NoSuchElementException("data: no more rows");
        }
        RawRow r = next;
        next = null;
        return r;
    }

    @Override
    public void close() {
        rows.close();
    }
}
