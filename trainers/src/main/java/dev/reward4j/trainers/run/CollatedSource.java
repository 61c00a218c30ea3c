package dev.reward4j.trainers.run;

import ai.djl.ndarray.NDManager;
import dev.reward4j.core.data.DataPosition;
import dev.reward4j.core.data.Sampler;
import dev.reward4j.core.util.Checks;
import dev.reward4j.trainers.loop.BatchSource;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

/**
 * Micro-batches of {@code batchSize} examples in the sampler's per-epoch order; a batch that
 * reaches the end of an epoch continues with the next epoch's order, so every batch is full and the
 * position is exactly resumable.
 *
 * @param <T> tokenized example type
 * @param <B> batch type
 */
public final class CollatedSource<T, B> implements BatchSource<B> {
    private final List<T> examples;
    private final Sampler sampler;
    private final int batchSize;
    private final BiFunction<List<T>, NDManager, B> collate;
    private DataPosition position = DataPosition.start();
    private long orderEpoch = -1;
    private int[] order;

    /** Creates the source. */
    public CollatedSource(
            List<T> examples,
            Sampler sampler,
            int batchSize,
            BiFunction<List<T>, NDManager, B> collate) {
        Checks.argument(
                !examples.isEmpty(),
                "data: no training examples left after reading and truncation (0); check data.train"
                        + " and the counters");
        Checks.positive(batchSize, "data.batch_size");
        this.examples = examples;
        this.sampler = sampler;
        this.batchSize = batchSize;
        this.collate = collate;
    }

    @Override
    public B next(NDManager manager) {
        List<T> chunk = new ArrayList<>(batchSize);
        for (int i = 0; i < batchSize; i++) {
            if (orderEpoch != position.epoch()) {
                order = sampler.order(examples.size(), position.epoch());
                orderEpoch = position.epoch();
            }
            chunk.add(examples.get(order[(int) position.index()]));
            position = position.advance(1, examples.size());
        }
        return collate.apply(chunk, manager);
    }

    @Override
    public DataPosition position() {
        return position;
    }

    @Override
    public void seek(DataPosition p) {
        position = p;
    }

    /**
     * Consecutive chunks of {@code size} examples (the last may be smaller), for evaluation and
     * cache building.
     */
    public static <T> List<List<T>> chunks(List<T> examples, int size) {
        return chunks(examples, size, 1);
    }

    /**
     * Consecutive chunks of {@code size} examples; a last chunk smaller than {@code minSize} joins
     * the previous one (so it may hold up to {@code size + minSize - 1} examples). Only a single
     * chunk shorter than {@code minSize} is left when {@code examples} itself is. Unpaired batches
     * need {@code minSize = 2}.
     *
     * @param examples the examples, in order
     * @param size examples per chunk, {@code >= minSize}
     * @param minSize smallest chunk, {@code >= 1}
     * @return views of {@code examples}
     */
    public static <T> List<List<T>> chunks(List<T> examples, int size, int minSize) {
        Checks.positive(minSize, "minSize");
        Checks.argument(
                size >= minSize,
                () ->
                        "chunks: size ("
                                + size
                                + ") < minSize ("
                                + minSize
                                + "); expected size >= minSize");
        List<List<T>> out = new ArrayList<>();
        for (int s = 0; s < examples.size(); s += size) {
            int end = Math.min(examples.size(), s + size);
            if (end - s < minSize && !out.isEmpty()) {
                List<T> last = out.remove(out.size() - 1);
                out.add(examples.subList(s - last.size(), end));
            } else {
                out.add(examples.subList(s, end));
            }
        }
        return out;
    }
}
