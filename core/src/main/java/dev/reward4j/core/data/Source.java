package dev.reward4j.core.data;

import java.util.Objects;

/**
 * Where an example came from: a file and a 1-based line (JSONL) or row (Parquet) number. Used in
 * every error message.
 *
 * @param file file name or path as given to the reader ({@code "<memory>"} for in-memory examples)
 * @param line 1-based line or row number; 0 when unknown
 */
public record Source(String file, long line) {
    /** Validates the fields. */
    public Source {
        Objects.requireNonNull(file, "file");
    }

    /** A source for examples built in code. */
    public static Source memory(long index) {
        return new Source("<memory>", index);
    }

    @Override
    public String toString() {
        return file + ":" + line;
    }
}
