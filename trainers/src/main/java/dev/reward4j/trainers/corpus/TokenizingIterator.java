package dev.reward4j.trainers.corpus;

import dev.reward4j.core.data.RecordStream;
import dev.reward4j.core.util.Checks;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.Function;

/**
 * Streams the examples of a {@link RecordStream} through a chunk function (tokenization, a model
 * forward) {@code chunkSize} examples at a time, with constant memory: one chunk alive at a time.
 * The stream is closed when exhausted.
 *
 * @param <E> example type read
 * @param <T> result type
 */
final class TokenizingIterator<E, T> implements Iterator<T> {
    private final RecordStream<E> examples;
    private final Function<List<E>, List<T>> chunkFn;
    private final int chunkSize;
    private final ArrayDeque<T> pending = new ArrayDeque<>();
    private boolean done;

    TokenizingIterator(
            RecordStream<E> examples, Function<List<E>, List<T>> chunkFn, int chunkSize) {
        this.examples = examples;
        this.chunkFn = chunkFn;
        this.chunkSize = Checks.positive(chunkSize, "corpus: chunk size");
    }

    @Override
    public boolean hasNext() {
        while (pending.isEmpty() && !done) {
            List<E> chunk = new ArrayList<>(chunkSize);
            while (chunk.size() < chunkSize && examples.hasNext()) {
                chunk.add(examples.next());
            }
            if (chunk.size() < chunkSize) {
                done = true;
                examples.close();
            }
            if (!chunk.isEmpty()) {
                pending.addAll(chunkFn.apply(chunk));
            }
        }
        return !pending.isEmpty();
    }

    @Override
    public T next() {
        if (!hasNext()) {
            throw new NoSuchElementException("corpus: no more examples");
        }
        return pending.removeFirst();
    }
}
