package dev.reward4j.trainers.corpus;

import java.util.Iterator;

/**
 * The results of a corpus job over one partition, streamed, with the partition's counters (complete
 * once the stream is exhausted).
 *
 * @param <T> result type
 */
public final class PartitionStream<T> implements Iterator<T> {
    private final Iterator<T> results;
    private final java.util.function.Supplier<PartitionCounters> counters;

    PartitionStream(Iterator<T> results, java.util.function.Supplier<PartitionCounters> counters) {
        this.results = results;
        this.counters = counters;
    }

    @Override
    public boolean hasNext() {
        return results.hasNext();
    }

    @Override
    public T next() {
        return results.next();
    }

    /** The counters so far; complete once {@link #hasNext()} returned false. */
    public PartitionCounters counters() {
        return counters.get();
    }
}
