package dev.reward4j.trainers.corpus;

import dev.reward4j.core.data.DataCounters;
import dev.reward4j.core.data.RatedResponse;
import dev.reward4j.core.data.ReadOptions;
import dev.reward4j.core.data.RecordStream;
import dev.reward4j.core.data.TokenizedRated;
import dev.reward4j.core.text.ExampleTokenizer;
import dev.reward4j.core.text.TextEncoder;
import dev.reward4j.core.text.TruncationPolicy;
import dev.reward4j.core.util.Checks;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Scores rows of {@link ScoreRowFormat} with a reward model, with the formatting of training: each
 * (prompt, response) is tokenized by the training tokenizer path ({@link ExampleTokenizer}: plain
 * text stays plain, conversations use the chat template, BOS never doubled, EOS by the encoder's
 * policy) and truncated by the training {@link TruncationPolicy}; the rows of each block of {@code
 * batchSize} consecutive input rows go through the model as one batch ({@link RowBlocks}: the same
 * batches, and the same rewards bit for bit, in one process and in any partitioning into multiples
 * of {@code batchSize} rows). A row the policy drops, or an invalid one (an empty response), is
 * counted (dropped, invalid, with its {@code file:line}) and left out of the output; a malformed
 * row fails the partition in strict mode (file, line and field in the message) and is counted as
 * skipped in lenient mode.
 *
 * <p>Not thread-safe (it owns its counters per partition); one instance may serve many partitions
 * one after the other, and the {@link SequenceScorer} may be shared between threads.
 */
public final class CorpusScorer {
    private final TextEncoder encoder;
    private final TruncationPolicy truncation;
    private final SequenceScorer model;
    private final int batchSize;
    private final ReadOptions options;

    /**
     * A scorer.
     *
     * @param encoder the training tokenizer and chat template
     * @param truncation the training truncation policy ({@code data.max_length}, {@code
     *     data.truncation})
     * @param model the batched reward forward
     * @param batchSize sequences per forward
     * @param options strict or lenient
     */
    public CorpusScorer(
            TextEncoder encoder,
            TruncationPolicy truncation,
            SequenceScorer model,
            int batchSize,
            ReadOptions options) {
        this.encoder = Objects.requireNonNull(encoder, "encoder");
        this.truncation = Objects.requireNonNull(truncation, "truncation");
        this.model = Objects.requireNonNull(model, "model");
        this.batchSize = Checks.positive(batchSize, "corpus scorer: batch size");
        this.options = Objects.requireNonNull(options, "options");
        Checks.argument(
                options.maxRows() == Long.MAX_VALUE,
                "corpus scorer: a row limit is not supported; expected every row");
    }

    /**
     * Scores the rows of one partition, streamed.
     *
     * @param rows the partition's rows, in input order
     * @param name what the rows are, for messages
     * @return the scored rows in input order, and the counters
     */
    public PartitionStream<ScoredRow> score(Iterator<IndexedRow> rows, String name) {
        DataCounters tokenCounters = new DataCounters();
        ExampleTokenizer tokenizer = new ExampleTokenizer(encoder, truncation, tokenCounters);
        RowBlocks<ScoreRow, ScoredRow> blocks =
                RowBlocks.over(
                        rows,
                        raw -> RecordStream.over(raw, new ScoreRowFormat(), options, name),
                        ScoreRow::source,
                        chunk -> scoreChunk(tokenizer, chunk),
                        batchSize);
        return new PartitionStream<>(
                blocks, () -> new PartitionCounters(blocks.examples().counters(), tokenCounters));
    }

    private List<ScoredRow> scoreChunk(ExampleTokenizer tokenizer, List<ScoreRow> chunk) {
        List<RatedResponse> rated = new ArrayList<>(chunk.size());
        for (int i = 0; i < chunk.size(); i++) {
            ScoreRow r = chunk.get(i);
            rated.add(
                    new RatedResponse(
                            Integer.toString(i),
                            r.prompt(),
                            r.response(),
                            List.of(),
                            new double[0],
                            new boolean[0],
                            r.source()));
        }
        List<TokenizedRated> kept = tokenizer.rated(rated);
        double[][] rewards = model.score(kept.stream().map(TokenizedRated::sequence).toList());
        Checks.state(
                rewards.length == kept.size(),
                () -> "corpus scorer: " + rewards.length + " scores for " + kept.size() + " rows");
        List<ScoredRow> out = new ArrayList<>(kept.size());
        for (int i = 0; i < kept.size(); i++) {
            ScoreRow r = chunk.get(Integer.parseInt(kept.get(i).id()));
            for (double v : rewards[i]) {
                int row = i;
                Checks.state(
                        Double.isFinite(v),
                        () ->
                                "corpus scorer: the reward of "
                                        + chunk.get(row).source()
                                        + " is "
                                        + v);
            }
            out.add(
                    new ScoredRow(
                            r.id(),
                            r.source(),
                            ScoreRow.json(r.prompt()),
                            ScoreRow.json(r.response()),
                            rewards[i]));
        }
        return out;
    }

    /**
     * The single-process path: scores every row of {@code files} in order (one partition).
     *
     * @param files JSON Lines or Parquet files
     * @param sink receives every scored row in input order
     * @return the counters of the whole input
     */
    public DataCounters scoreFiles(List<Path> files, Consumer<ScoredRow> sink) {
        try (FileRows rows = new FileRows(files)) {
            PartitionStream<ScoredRow> s = score(rows, String.join(",", rows.names()));
            s.forEachRemaining(sink);
            return s.counters().all();
        }
    }
}
