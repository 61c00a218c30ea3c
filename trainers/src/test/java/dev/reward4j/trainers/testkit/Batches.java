package dev.reward4j.trainers.testkit;

import ai.djl.ndarray.NDManager;
import dev.reward4j.core.data.DataPosition;
import dev.reward4j.trainers.loop.BatchSource;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;

/** Batch sources over in-memory examples. */
public final class Batches {
    private Batches() {}

    /**
     * A cycling, resumable source over {@code examples} in order, {@code size} per batch.
     *
     * @param examples the examples
     * @param size batch size
     * @param collate builds a batch on a manager
     * @param <E> example type
     * @param <B> batch type
     * @return the source
     */
    public static <E, B> BatchSource<B> cycling(
            List<E> examples, int size, BiFunction<List<E>, NDManager, B> collate) {
        return new BatchSource<>() {
            DataPosition pos = DataPosition.start();

            @Override
            public B next(NDManager m) {
                List<E> chunk = new ArrayList<>(size);
                for (int i = 0; i < size; i++) {
                    chunk.add(examples.get((int) pos.index()));
                    pos = pos.advance(1, examples.size());
                }
                return collate.apply(chunk, m);
            }

            @Override
            public DataPosition position() {
                return pos;
            }

            @Override
            public void seek(DataPosition p) {
                pos = p;
            }
        };
    }

    /**
     * Factories of consecutive batches of {@code size} examples (the last may be smaller).
     *
     * @param examples the examples
     * @param size batch size
     * @param collate builds a batch on a manager
     * @param <E> example type
     * @param <B> batch type
     * @return one factory per batch
     */
    public static <E, B> List<Function<NDManager, B>> chunks(
            List<E> examples, int size, BiFunction<List<E>, NDManager, B> collate) {
        List<Function<NDManager, B>> out = new ArrayList<>();
        for (int s = 0; s < examples.size(); s += size) {
            List<E> chunk = examples.subList(s, Math.min(examples.size(), s + size));
            out.add(m -> collate.apply(chunk, m));
        }
        return out;
    }
}
