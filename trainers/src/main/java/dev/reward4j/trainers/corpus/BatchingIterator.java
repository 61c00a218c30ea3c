package dev.reward4j.trainers.corpus;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.Function;

/** Maps an iterator through a batch function, {@code batchSize} items at a time, lazily. */
final class BatchingIterator<A, B> implements Iterator<B> {
    private final Iterator<A> in;
    private final int batchSize;
    private final Function<List<A>, List<B>> fn;
    private final ArrayDeque<B> pending = new ArrayDeque<>();

    BatchingIterator(Iterator<A> in, int batchSize, Function<List<A>, List<B>> fn) {
        this.in = in;
        this.batchSize = batchSize;
        this.fn = fn;
    }

    @Override
    public boolean hasNext() {
        while (pending.isEmpty() && in.hasNext()) {
            List<A> batch = new ArrayList<>(batchSize);
            while (batch.size() < batchSize && in.hasNext()) {
                batch.add(in.next());
            }
            pending.addAll(fn.apply(batch));
        }
        return !pending.isEmpty();
    }

    @Override
    public B next() {
        if (!hasNext()) {
            throw new NoSuchElementException("corpus: no more results");
        }
        return pending.removeFirst();
    }
}
