package dev.reward4j.trainers.inmemory;

import ai.djl.ndarray.NDManager;
import dev.reward4j.core.data.DataPosition;
import dev.reward4j.core.util.Checks;
import dev.reward4j.trainers.loop.BatchSource;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.BiFunction;

/**
 * An endless source of micro-batches over an in-memory list: each epoch visits every example once
 * in an order shuffled from {@code (seed, epoch)} (Fisher-Yates; or in list order when {@code
 * shuffle} is false), so a run is reproducible and resumable from its {@link DataPosition}.
 *
 * @param <E> example type
 * @param <B> batch type
 */
public final class CyclingSource<E, B> implements BatchSource<B> {
    private final List<E> examples;
    private final int batchSize;
    private final BiFunction<List<E>, NDManager, B> collate;
    private final long seed;
    private final boolean shuffle;
    private DataPosition position = DataPosition.start();
    private int[] order;
    private long orderEpoch = -1;

    /**
     * Creates the source.
     *
     * @param examples the examples (not copied; do not modify)
     * @param batchSize examples per micro-batch, {@code >= 1}
     * @param collate builds a batch on the step manager
     * @param seed shuffle seed
     * @param shuffle whether to shuffle per epoch
     */
    public CyclingSource(
            List<E> examples,
            int batchSize,
            BiFunction<List<E>, NDManager, B> collate,
            long seed,
            boolean shuffle) {
        Checks.argument(!examples.isEmpty(), "CyclingSource: no examples; expected at least one");
        Checks.positive(batchSize, "CyclingSource.batchSize");
        this.examples = examples;
        this.batchSize = batchSize;
        this.collate = collate;
        this.seed = seed;
        this.shuffle = shuffle;
    }

    @Override
    public B next(NDManager manager) {
        List<E> chunk = new ArrayList<>(batchSize);
        for (int i = 0; i < batchSize; i++) {
            chunk.add(examples.get(order(position.epoch())[(int) position.index()]));
            position = position.advance(1, examples.size());
        }
        return collate.apply(chunk, manager);
    }

    private int[] order(long epoch) {
        if (orderEpoch != epoch) {
            order = new int[examples.size()];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            if (shuffle) {
                SplittableRandom rng = new SplittableRandom(seed * 1_000_003L + epoch);
                for (int i = order.length - 1; i > 0; i--) {
                    int j = rng.nextInt(i + 1);
                    int t = order[i];
                    order[i] = order[j];
                    order[j] = t;
                }
            }
            orderEpoch = epoch;
        }
        return order;
    }

    @Override
    public DataPosition position() {
        return position;
    }

    @Override
    public void seek(DataPosition p) {
        position = p;
    }
}
