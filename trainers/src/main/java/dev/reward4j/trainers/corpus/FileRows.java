package dev.reward4j.trainers.corpus;

import dev.reward4j.core.data.RawRows;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * The raw rows of several files, one after the other (the single-process input of a corpus job),
 * each file opened when reached, with their 0-based positions in the whole input.
 */
public final class FileRows implements Iterator<IndexedRow>, AutoCloseable {
    private final List<Path> files;
    private int nextFile;
    private RawRows current;
    private long returned;

    /** The rows of {@code files}, in order. */
    public FileRows(List<Path> files) {
        this.files = List.copyOf(files);
    }

    /** The file names as the rows' sources give them. */
    public List<String> names() {
        return files.stream().map(Path::toString).toList();
    }

    /** How many rows were returned so far. */
    public long returned() {
        return returned;
    }

    @Override
    public boolean hasNext() {
        while (current == null || !current.hasNext()) {
            if (current != null) {
                current.close();
                current = null;
            }
            if (nextFile == files.size()) {
                return false;
            }
            current = RawRows.open(files.get(nextFile++));
        }
        return true;
    }

    @Override
    public IndexedRow next() {
        if (!hasNext()) {
            throw new NoSuchElementException("corpus: no more rows");
        }
        return new IndexedRow(returned++, current.next());
    }

    @Override
    public void close() {
        if (current != null) {
            current.close();
            current = null;
        }
    }
}
