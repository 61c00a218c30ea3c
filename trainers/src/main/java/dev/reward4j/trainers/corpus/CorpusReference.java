package dev.reward4j.trainers.corpus;

import ai.djl.ndarray.NDManager;
import dev.reward4j.core.data.DataCounters;
import dev.reward4j.core.data.PairBatch;
import dev.reward4j.core.data.PairCollator;
import dev.reward4j.core.data.TokenizedPair;
import dev.reward4j.core.util.Checks;
import dev.reward4j.trainers.metrics.HostArrays;
import dev.reward4j.trainers.reference.FrozenReference;
import dev.reward4j.trainers.reference.PairTokenDigest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Reference log-probs of every pair of a preference corpus, as {@code train} computes them for
 * {@code model.reference_cache}: the pairs tokenized exactly as training tokenizes them ({@link
 * CorpusPreparation}), collated by the training {@link PairCollator} in batches of the pairs of
 * {@code batchSize} ({@code data.eval_batch_size}) consecutive input rows ({@link RowBlocks}: the
 * same batches in one process and in any partitioning into multiples of {@code batchSize} rows) and
 * run through the frozen reference model; each pair keeps its token digest, so the cache written
 * from the results ({@code ReferenceCache.write}) passes {@code train}'s checks.
 *
 * <p>The reference model may be shared between threads (one per cluster executor); one instance of
 * this class serves one partition at a time.
 */
public final class CorpusReference {
    private final CorpusPreparation preparation;
    private final FrozenReference reference;
    private final PairCollator collator;
    private final int batchSize;

    /**
     * Creates the job.
     *
     * @param preparation reads and tokenizes the pairs as training does
     * @param reference the frozen reference model
     * @param collator the training collator ({@code TrainRun.padding(encoder)})
     * @param batchSize pairs per reference forward
     */
    public CorpusReference(
            CorpusPreparation preparation,
            FrozenReference reference,
            PairCollator collator,
            int batchSize) {
        this.preparation = Objects.requireNonNull(preparation, "preparation");
        this.reference = Objects.requireNonNull(reference, "reference");
        this.collator = Objects.requireNonNull(collator, "collator");
        this.batchSize = Checks.positive(batchSize, "corpus reference: batch size");
    }

    /**
     * The reference log-probs of the pairs of one partition, streamed in input order.
     *
     * @param rows the partition's rows
     * @param name what the rows are, for messages
     */
    public PartitionStream<ReferenceLogps> compute(Iterator<IndexedRow> rows, String name) {
        return preparation.blocks(rows, name, batchSize, this::forwardBlock);
    }

    /** The pairs of one block of input rows, in batches of at most {@code batchSize}. */
    private List<ReferenceLogps> forwardBlock(List<TokenizedPair> block) {
        List<ReferenceLogps> out = new ArrayList<>(block.size());
        for (int from = 0; from < block.size(); from += batchSize) {
            out.addAll(forward(block.subList(from, Math.min(block.size(), from + batchSize))));
        }
        return out;
    }

    private List<ReferenceLogps> forward(List<TokenizedPair> batch) {
        double[] sums;
        long[] digests = new long[batch.size()];
        try (NDManager m = reference.model().manager().newSubManager();
                PairBatch b = collator.collate(batch, m)) {
            sums = HostArrays.of(reference.chosenAndRejected(b, m));
        }
        int n = batch.size();
        List<ReferenceLogps> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            TokenizedPair p = batch.get(i);
            digests[i] = PairTokenDigest.of(p);
            out.add(
                    new ReferenceLogps(
                            p.id(),
                            p.source(),
                            digests[i],
                            sums[i],
                            sums[n + i],
                            p.chosen().responseLength(),
                            p.rejected().responseLength()));
        }
        return out;
    }

    /**
     * The single-process path: the reference log-probs of every pair of {@code files}, in order.
     *
     * @return the counters of the whole input
     */
    public DataCounters computeFiles(List<Path> files, Consumer<ReferenceLogps> sink) {
        try (FileRows rows = new FileRows(files)) {
            PartitionStream<ReferenceLogps> s = compute(rows, String.join(",", rows.names()));
            s.forEachRemaining(sink);
            return s.counters().all();
        }
    }
}
