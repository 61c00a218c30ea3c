package dev.reward4j.core.data;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * A streaming, constant-memory iterator over the examples of one file. Strict mode throws {@link
 * DataFormatException} on the first bad row; lenient mode counts it in {@link #counters()}
 * (skipped, with its line) and continues. Close it (try-with-resources) to release the file.
 *
 * @param <T> example type
 */
public final class RecordStream<T> implements Iterator<T>, AutoCloseable {
    private final RowSource rows;
    private final Format<T> format;
    private final ReadOptions options;
    private final String file;
    private final DataCounters counters = new DataCounters();
    private final ArrayDeque<T> pending = new ArrayDeque<>();
    private boolean done;

    RecordStream(RowSource rows, Format<T> format, ReadOptions options, String file) {
        this.rows = rows;
        this.format = format;
        this.options = options;
        this.file = file;
    }

    /**
     * Reads {@code rows} (e.g. one partition of a cluster job, or {@link RawRows} of a file) with
     * {@code format}, exactly as {@link DataReader#open} reads a file: each example's source is its
     * row's, a failed row fails the stream in strict mode and is counted as skipped in lenient
     * mode. Closing the stream closes {@code rows} when it is {@link AutoCloseable}.
     *
     * @param rows the rows, in order
     * @param format the row format
     * @param options strict or lenient, row limit
     * @param name what the rows are, for messages (e.g. {@code "partition 3"})
     * @return a stream to close after use
     */
    public static <T> RecordStream<T> over(
            Iterator<RawRow> rows, Format<T> format, ReadOptions options, String name) {
        return new RecordStream<>(new IteratorRows(rows, name), format, options, name);
    }

    /** Counts so far (complete once the stream is exhausted). */
    public DataCounters counters() {
        return counters;
    }

    @Override
    public boolean hasNext() {
        while (pending.isEmpty() && !done) {
            if (counters.readCount() >= options.maxRows()) {
                done = true;
                break;
            }
            JsonNode node;
            try {
                node = rows.next();
            } catch (DataFormatException e) {
                counters.read();
                handle(e);
                continue;
            }
            if (node == null) {
                done = true;
                break;
            }
            counters.read();
            Row row = new Row(node, new Source(rows.file(), rows.line()), counters);
            int before = pending.size();
            try {
                format.read(row, pending::add);
            } catch (DataFormatException e) {
                while (pending.size() > before) {
                    pending.removeLast();
                }
                handle(e);
            } catch (IllegalArgumentException e) {
                while (pending.size() > before) {
                    pending.removeLast();
                }
                handle(
                        new DataFormatException(
                                row.source(), "<row>", e.getMessage(), "a valid example"));
            }
        }
        return !pending.isEmpty();
    }

    private void handle(DataFormatException e) {
        if (!options.lenient()) {
            throw e;
        }
        counters.skipped(e.source().toString(), e.getMessage());
    }

    @Override
    public T next() {
        if (!hasNext()) {
            throw new NoSuchElementException("data: no more examples in " + file);
        }
        counters.parsed();
        return pending.removeFirst();
    }

    @Override
    public void close() {
        rows.close();
    }
}
