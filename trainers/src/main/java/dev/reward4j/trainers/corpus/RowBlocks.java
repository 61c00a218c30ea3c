package dev.reward4j.trainers.corpus;

import dev.reward4j.core.data.RawRow;
import dev.reward4j.core.data.RecordStream;
import dev.reward4j.core.data.Source;
import dev.reward4j.core.util.Checks;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * Runs a chunk function (tokenize and forward) over the examples of blocks of {@code blockRows}
 * consecutive input rows: block {@code b} holds the examples of rows {@code [b * blockRows, (b + 1)
 * * blockRows)}. A model batch never spans two blocks, so the same rows give the same batches, and
 * the same numbers bit for bit, whether one process reads the whole input or a cluster reads it in
 * partitions of a multiple of {@code blockRows} rows.
 *
 * @param <E> example type read
 * @param <T> result type
 */
final class RowBlocks<E, T> implements Iterator<T> {
    private final RecordStream<E> examples;
    private final ToLongFunction<E> rowOf;
    private final Function<List<E>, List<T>> blockFn;
    private final long blockRows;
    private final ArrayDeque<T> pending = new ArrayDeque<>();
    private E lookahead;
    private boolean done;

    private RowBlocks(
            RecordStream<E> examples,
            ToLongFunction<E> rowOf,
            Function<List<E>, List<T>> blockFn,
            long blockRows) {
        this.examples = examples;
        this.rowOf = rowOf;
        this.blockFn = blockFn;
        this.blockRows = blockRows;
    }

    /**
     * Streams {@code rows} through {@code format}-reading {@code open} and {@code blockFn}, a block
     * of {@code blockRows} input rows at a time.
     *
     * @param rows the partition's rows with their input positions
     * @param open opens the record stream over the raw rows (format, strict or lenient)
     * @param source an example's source
     * @param blockFn the function of one block's examples (in order)
     * @param blockRows input rows per block
     */
    static <E, T> RowBlocks<E, T> over(
            Iterator<IndexedRow> rows,
            Function<Iterator<RawRow>, RecordStream<E>> open,
            Function<E, Source> source,
            Function<List<E>, List<T>> blockFn,
            long blockRows) {
        Checks.argument(blockRows > 0, "corpus: rows per block must be > 0");
        Positions positions = new Positions(rows);
        RecordStream<E> examples = open.apply(positions);
        return new RowBlocks<>(examples, e -> positions.of(source.apply(e)), blockFn, blockRows);
    }

    /** The reader's stream (its counters). */
    RecordStream<E> examples() {
        return examples;
    }

    @Override
    public boolean hasNext() {
        while (pending.isEmpty() && !done) {
            if (lookahead == null) {
                if (!examples.hasNext()) {
                    done = true;
                    examples.close();
                    break;
                }
                lookahead = examples.next();
            }
            long block = rowOf.applyAsLong(lookahead) / blockRows;
            List<E> chunk = new ArrayList<>();
            chunk.add(lookahead);
            lookahead = null;
            while (examples.hasNext()) {
                E e = examples.next();
                if (rowOf.applyAsLong(e) / blockRows != block) {
                    lookahead = e;
                    break;
                }
                chunk.add(e);
            }
            pending.addAll(blockFn.apply(chunk));
        }
        return !pending.isEmpty();
    }

    @Override
    public T next() {
        if (!hasNext()) {
            throw new NoSuchElementException("corpus: no more results");
        }
        return pending.removeFirst();
    }

    /**
     * The raw rows of indexed rows, remembering the input position of each row's source until the
     * reader has moved a few rows past it.
     */
    private static final class Positions implements Iterator<RawRow> {
        private static final int KEEP = 4096;
        private final Iterator<IndexedRow> rows;
        private final Map<Source, Long> positions = new LinkedHashMap<>();

        Positions(Iterator<IndexedRow> rows) {
            this.rows = rows;
        }

        @Override
        public boolean hasNext() {
            return rows.hasNext();
        }

        @Override
        public RawRow next() {
            IndexedRow r = rows.next();
            positions.put(r.row().source(), r.index());
            if (positions.size() > KEEP) { // the reader never looks that far back
                Iterator<Map.Entry<Source, Long>> it = positions.entrySet().iterator();
                it.next();
                it.remove();
            }
            return r.row();
        }

        long of(Source s) {
            Long p = positions.get(s);
            Checks.state(p != null, () -> "corpus: no input position for " + s);
            return p;
        }
    }
}
