package dev.reward4j.trainers.corpus;

import dev.reward4j.core.data.DataCounters;
import dev.reward4j.core.data.Format;
import dev.reward4j.core.data.PreferencePair;
import dev.reward4j.core.data.ReadOptions;
import dev.reward4j.core.data.RecordStream;
import dev.reward4j.core.data.TokenizedPair;
import dev.reward4j.core.pipeline.DataPipeline;
import dev.reward4j.core.text.ExampleTokenizer;
import dev.reward4j.core.text.TextEncoder;
import dev.reward4j.core.text.TruncationPolicy;
import dev.reward4j.core.util.Checks;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.function.Function;

/**
 * Reads and tokenizes preference pairs exactly as {@code train} does ({@code DataPipeline}: the row
 * format, the chat template, the tokenizer, the truncation policy, chunks of {@value
 * DataPipeline#CHUNK} examples per native tokenizer call), over the rows of one partition, and
 * writes them as tokenized Parquet shards ({@link TokenizedShards}).
 *
 * <p>Shard {@code k} holds the kept pairs of the input rows {@code [k * rowsPerShard, (k + 1) *
 * rowsPerShard)} (rows counted over the input files in order; blank lines are not rows), so the
 * shards, their bytes and their counters are the same whether one process writes them ({@link
 * #prepareFiles}) or a cluster job writes one shard per partition ({@link #writeShard}).
 */
public final class CorpusPreparation {
    private final TextEncoder encoder;
    private final TruncationPolicy truncation;
    private final Format<PreferencePair> format;
    private final ReadOptions options;

    /**
     * Creates the job.
     *
     * @param encoder the training tokenizer and chat template
     * @param truncation the training truncation policy
     * @param format the row format ({@code data.format}, with its split filter if any)
     * @param options strict or lenient ({@code data.lenient}); no row limit
     */
    public CorpusPreparation(
            TextEncoder encoder,
            TruncationPolicy truncation,
            Format<PreferencePair> format,
            ReadOptions options) {
        this.encoder = Objects.requireNonNull(encoder, "encoder");
        this.truncation = Objects.requireNonNull(truncation, "truncation");
        this.format = Objects.requireNonNull(format, "format");
        this.options = Objects.requireNonNull(options, "options");
        Checks.argument(
                options.maxRows() == Long.MAX_VALUE,
                "corpus preparation: a row limit is not supported; expected every row");
    }

    /** The truncation policy. */
    public TruncationPolicy truncation() {
        return truncation;
    }

    /**
     * The tokenized pairs of one partition's rows, streamed in input order, with the reader's and
     * the tokenizer's counters.
     */
    public PartitionStream<TokenizedPair> pairs(Iterator<IndexedRow> rows, String name) {
        return blocks(rows, name, DataPipeline.CHUNK, block -> block);
    }

    /**
     * The pairs of one partition tokenized a block of {@code blockRows} input rows at a time, each
     * block's pairs (in order) passed to {@code fn} ({@link RowBlocks}: a block never spans two
     * partitions whose size is a multiple of {@code blockRows}).
     */
    <T> PartitionStream<T> blocks(
            Iterator<IndexedRow> rows,
            String name,
            long blockRows,
            Function<List<TokenizedPair>, List<T>> fn) {
        DataCounters tokenCounters = new DataCounters();
        ExampleTokenizer tokenizer = new ExampleTokenizer(encoder, truncation, tokenCounters);
        RowBlocks<PreferencePair, T> blocks =
                RowBlocks.over(
                        rows,
                        raw -> RecordStream.over(raw, format, options, name),
                        PreferencePair::source,
                        block -> fn.apply(tokenizer.pairs(block)),
                        blockRows);
        return new PartitionStream<>(
                blocks, () -> new PartitionCounters(blocks.examples().counters(), tokenCounters));
    }

    /**
     * Writes the kept pairs of one partition as one shard.
     *
     * @param rows the partition's rows (shard k's input rows, in order)
     * @param name what the rows are, for messages
     * @param out receives the Parquet file (not closed)
     * @param packLength 0 for one pair per Parquet row, else pairs packed into rows of at most this
     *     many tokens ({@link TokenizedShards})
     * @return the shard's counters and pair count
     */
    public ShardResult writeShard(
            Iterator<IndexedRow> rows, String name, OutputStream out, int packLength) {
        PartitionStream<TokenizedPair> pairs = pairs(rows, name);
        long n;
        try (TokenizedShards.Writer w = TokenizedShards.writer(out, packLength)) {
            while (pairs.hasNext()) {
                w.write(pairs.next());
            }
            n = w.pairs();
        } catch (IOException e) {
            throw new UncheckedIOException("corpus preparation: cannot write " + name, e);
        }
        return new ShardResult(pairs.counters(), n);
    }

    /**
     * The counters and pair count of one written shard.
     *
     * @param counters the shard's counters
     * @param pairs pairs written
     */
    public record ShardResult(PartitionCounters counters, long pairs)
            implements java.io.Serializable {
        private static final long serialVersionUID = 1L;
    }

    /**
     * The single-process path: writes the shards of {@code files} into {@code outDir} ({@code
     * shard-00000.parquet}, ...) and returns their results in shard order; the caller writes the
     * manifest ({@link ShardManifest}).
     *
     * @param rowsPerShard input rows per shard
     * @param packLength see {@link #writeShard}
     */
    public List<ShardResult> prepareFiles(
            List<Path> files, Path outDir, long rowsPerShard, int packLength) throws IOException {
        Checks.argument(rowsPerShard > 0, "corpus preparation: rows per shard must be > 0");
        Files.createDirectories(outDir);
        List<ShardResult> results = new ArrayList<>();
        try (FileRows rows = new FileRows(files)) {
            int shard = 0;
            while (rows.hasNext()) {
                long end = rows.returned() + rowsPerShard;
                Iterator<IndexedRow> slice =
                        new Iterator<>() {
                            @Override
                            public boolean hasNext() {
                                return rows.returned() < end && rows.hasNext();
                            }

                            @Override
                            public IndexedRow next() {
                                if (!hasNext()) {
                                    throw new NoSuchElementException("corpus: shard end");
                                }
                                return rows.next();
                            }
                        };
                Path file = outDir.resolve(TokenizedShards.shardName(shard));
                try (OutputStream out = Files.newOutputStream(file)) {
                    results.add(writeShard(slice, "shard " + shard, out, packLength));
                }
                while (slice.hasNext()) { // rows the reader did not pull (none in practice)
                    slice.next();
                }
                shard++;
            }
        }
        return results;
    }
}
