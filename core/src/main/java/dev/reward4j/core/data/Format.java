package dev.reward4j.core.data;

import java.util.function.Consumer;

/**
 * Maps one input row to zero or more examples of type {@code T} (e.g. one UltraFeedback row gives
 * up to 6 pairs). Implementations throw {@link DataFormatException} (through {@link Row}'s
 * accessors) on bad rows and call {@link Row#skip(String)} for rows skipped by definition (e.g.
 * ties).
 *
 * @param <T> example type
 */
@FunctionalInterface
public interface Format<T> {
    /**
     * Reads {@code row}, emitting its examples to {@code out}.
     *
     * @param row the row with typed accessors
     * @param out receives the examples
     */
    void read(Row row, Consumer<? super T> out);
}
