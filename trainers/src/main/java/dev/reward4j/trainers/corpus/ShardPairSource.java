package dev.reward4j.trainers.corpus;

import ai.djl.ndarray.NDManager;
import dev.reward4j.core.data.DataPosition;
import dev.reward4j.core.data.PairBatch;
import dev.reward4j.core.data.PairCollator;
import dev.reward4j.core.data.TokenizedPair;
import dev.reward4j.core.util.Checks;
import dev.reward4j.trainers.loop.BatchSource;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * A {@link BatchSource} that streams the pairs of a directory of tokenized shards in shard order,
 * with constant memory (one row group of one shard at a time), collated by the training {@link
 * PairCollator}: epochs follow each other (the order is the same each epoch; shuffle the input, or
 * let {@code train} read the shards, for a shuffled order), every batch is full (a batch that
 * reaches the end continues with the next epoch) and the position is exactly resumable.
 */
public final class ShardPairSource implements BatchSource<PairBatch> {
    private final List<Path> shards;
    private final long pairs;
    private final int batchSize;
    private final PairCollator collator;
    private DataPosition position = DataPosition.start();
    private Iterator<TokenizedPair> current;
    private int shard;

    /**
     * A source over the shards in {@code dir}.
     *
     * @param dir a directory with {@code manifest.json}
     * @param batchSize pairs per batch
     * @param collator the training collator
     */
    public ShardPairSource(Path dir, int batchSize, PairCollator collator) throws IOException {
        ShardManifest m = ShardManifest.read(dir);
        this.shards = m.files(dir);
        this.pairs = m.pairs();
        Checks.argument(pairs > 0, () -> "tokenized shards: " + dir + " holds no pairs");
        this.batchSize = Checks.positive(batchSize, "data.batch_size");
        this.collator = collator;
    }

    /** Pairs per epoch. */
    public long pairs() {
        return pairs;
    }

    @Override
    public PairBatch next(NDManager manager) {
        List<TokenizedPair> batch = new ArrayList<>(batchSize);
        while (batch.size() < batchSize) {
            batch.add(nextPair());
        }
        return collator.collate(batch, manager);
    }

    private TokenizedPair nextPair() {
        if (current == null) { // the start of an epoch
            shard = 0;
        }
        while (current == null || !current.hasNext()) {
            Checks.state(
                    shard < shards.size(),
                    () -> "tokenized shards: fewer pairs than the manifest's " + pairs);
            current = TokenizedShards.read(shards.get(shard++));
        }
        TokenizedPair p = current.next();
        position = position.advance(1, pairs);
        if (position.index() == 0) {
            current = null;
        }
        return p;
    }

    @Override
    public DataPosition position() {
        return position;
    }

    @Override
    public void seek(DataPosition target) {
        position = new DataPosition(target.epoch(), 0);
        shard = 0;
        current = null;
        for (long i = 0; i < target.index(); i++) {
            nextPair();
        }
    }
}
