package dev.reward4j.core.data;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;

/**
 * A {@link RowSource} over {@link RawRow}s from any iterator (e.g. one partition of a cluster job).
 */
final class IteratorRows implements RowSource {
    private final Iterator<RawRow> rows;
    private final String name;
    private Source last;

    IteratorRows(Iterator<RawRow> rows, String name) {
        this.rows = rows;
        this.name = name;
        this.last = new Source(name, 0);
    }

    @Override
    public JsonNode next() {
        if (!rows.hasNext()) {
            return null;
        }
        RawRow r = rows.next();
        last = r.source();
        if (r.error() != null) {
            throw r.error();
        }
        return r.json();
    }

    @Override
    public String file() {
        return last.file();
    }

    @Override
    public long line() {
        return last.line();
    }

    @Override
    public void close() {
        if (rows instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception e) {
                throw new IllegalStateException("data: cannot close the rows of " + name, e);
            }
        }
    }
}
