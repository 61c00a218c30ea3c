package dev.reward4j.core.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Opens a data file as a stream of examples. The container is chosen by the file name: {@code
 * .parquet} → Parquet, anything else ({@code .jsonl}, {@code .json}, {@code .jsonl.gz}, ...) → JSON
 * Lines, gzip detected by magic bytes.
 */
public final class DataReader {
    private DataReader() {}

    /**
     * Opens {@code file}.
     *
     * @param file the file
     * @param format the row format (e.g. {@link TrlFormat}, {@link HhRlhfFormat})
     * @param options strict or lenient, row limit
     * @return a stream to close after use
     * @throws IllegalArgumentException when the file does not exist
     */
    public static <T> RecordStream<T> open(Path file, Format<T> format, ReadOptions options) {
        return new RecordStream<>(rowsOf(file), format, options, file.toString());
    }

    /** The raw rows of an existing, readable file, by container. */
    static RowSource rowsOf(Path file) {
        if (Files.isDirectory(file)) {
            throw new IllegalArgumentException(
                    "data: "
                            + file.toAbsolutePath()
                            + " is a directory; expected a .jsonl, .jsonl.gz or .parquet file");
        }
        if (Files.exists(file) && !Files.isReadable(file)) {
            throw new IllegalArgumentException(
                    "data: "
                            + file.toAbsolutePath()
                            + " is not readable (permission denied); expected a readable .jsonl,"
                            + " .jsonl.gz or .parquet file");
        }
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(
                    "data: file not found ("
                            + file.toAbsolutePath()
                            + "); expected a .jsonl, .jsonl.gz or .parquet file");
        }
        String name = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        return name.endsWith(".parquet") ? new ParquetRows(file) : new JsonlRows(file);
    }

    /** Reads a whole file into a list (strict). For large files prefer {@link #open}. */
    public static <T> List<T> readAll(Path file, Format<T> format) {
        List<T> out = new ArrayList<>();
        try (RecordStream<T> s = open(file, format, ReadOptions.defaults())) {
            s.forEachRemaining(out::add);
        }
        return out;
    }
}
