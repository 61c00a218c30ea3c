package dev.reward4j.trainers.app.spark;

import dev.reward4j.core.data.DataCounters;
import dev.reward4j.core.data.PaddingSide;
import dev.reward4j.core.data.ReadOptions;
import dev.reward4j.core.data.Source;
import dev.reward4j.core.model.DecoderModel;
import dev.reward4j.core.model.ModelOptions;
import dev.reward4j.core.text.TextEncoder;
import dev.reward4j.core.text.TruncationPolicy;
import dev.reward4j.trainers.config.DataSection;
import dev.reward4j.trainers.corpus.BestOfN;
import dev.reward4j.trainers.corpus.CorpusScorer;
import dev.reward4j.trainers.corpus.ModelSequenceScorer;
import dev.reward4j.trainers.corpus.PartitionStream;
import dev.reward4j.trainers.corpus.ScoredRow;
import dev.reward4j.trainers.device.DeviceSpec;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.function.Supplier;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import scala.Tuple2;

/**
 * Distributed reward scoring and best-of-N selection. Each partition is scored by {@link
 * CorpusScorer} (the formatting of training, batched) with this executor's reward model; the result
 * has one row per scored input row ({@link #SCORED}).
 */
public final class SparkScoring {
    /**
     * The scored rows: {@code row} (0-based input row number), {@code source_file}, {@code
     * source_line}, {@code id}, {@code prompt} and {@code response} (JSON values: a string, or a
     * list of messages), {@code reward} (output 0) and {@code rewards} (all K outputs).
     */
    public static final StructType SCORED =
            new StructType()
                    .add("row", DataTypes.LongType, false)
                    .add("source_file", DataTypes.StringType, false)
                    .add("source_line", DataTypes.LongType, false)
                    .add("id", DataTypes.StringType, false)
                    .add("prompt", DataTypes.StringType, false)
                    .add("response", DataTypes.StringType, false)
                    .add("reward", DataTypes.DoubleType, false)
                    .add("rewards", DataTypes.createArrayType(DataTypes.DoubleType, false), false);

    private SparkScoring() {}

    /**
     * What to score with.
     *
     * @param modelDir the reward model directory (the same path on every executor)
     * @param tokenizerDir the tokenizer directory (null: the model directory)
     * @param maxLength {@code data.max_length}
     * @param truncation {@code data.truncation}
     * @param batchSize sequences per forward
     * @param lenient count malformed rows instead of failing
     * @param device {@code cpu}, {@code gpu}, {@code gpu:N} on each executor
     */
    public record Spec(
            String modelDir,
            String tokenizerDir,
            int maxLength,
            String truncation,
            int batchSize,
            boolean lenient,
            String device)
            implements Serializable {
        private static final long serialVersionUID = 1L;

        /**
         * The defaults of training: max length 512, keep-prompt-end, batches of 16, strict, CPU.
         */
        public static Spec of(String modelDir) {
            DataSection d = DataSection.defaults();
            return new Spec(
                    modelDir, null, d.maxLength(), d.truncation(), d.evalBatchSize(), false, "cpu");
        }

        /** The tokenizer directory actually used. */
        public String tokenizer() {
            return tokenizerDir == null ? modelDir : tokenizerDir;
        }

        /** The truncation policy, as {@code data.max_length} and {@code data.truncation}. */
        public TruncationPolicy policy() {
            return DataSection.defaults().withTruncation(maxLength, truncation).truncationPolicy();
        }

        /** This JVM's scorer (one model and one tokenizer per executor JVM). */
        CorpusScorer scorer() {
            TextEncoder encoder = PairsSpec.encoder(tokenizer());
            DecoderModel model =
                    ExecutorResources.get(
                            "reward-model:" + modelDir + "|" + tokenizer() + "|" + device,
                            () ->
                                    ModelSequenceScorer.loadRewardModel(
                                            Path.of(modelDir),
                                            Path.of(tokenizer()),
                                            ModelOptions.defaults()
                                                    .withDevice(DeviceSpec.resolve(device))));
            return new CorpusScorer(
                    encoder,
                    policy(),
                    new ModelSequenceScorer(model, encoder.padding(PaddingSide.RIGHT).padId()),
                    batchSize,
                    ReadOptions.defaults().withLenient(lenient));
        }
    }

    /**
     * Scored rows and the counters of the input (complete once the rows were computed, e.g.
     * written; computing them again does not count twice).
     *
     * @param rows the scored rows ({@link #SCORED})
     * @param counters the merged counters of every partition, in input order
     */
    public record Scored(Dataset<Row> rows, Supplier<DataCounters> counters) {}

    /**
     * Scores the rows of a {@code Dataset<Row>} with {@code prompt} and {@code response} columns
     * (or {@code messages}; strings or arrays of {@code struct<role, content>}; optional {@code
     * id}, and {@code source_file}/{@code source_line} to name the rows in messages), in {@code
     * partitions} partitions of consecutive rows.
     */
    public static Scored score(Dataset<Row> input, Spec spec, int partitions) {
        JavaRDD<InputRow> rows = SparkInput.dataset(input);
        return score(
                input.sparkSession(),
                rows,
                spec,
                SparkInput.rowsPerPartition(rows.count(), partitions));
    }

    /**
     * Scores the rows of JSON Lines or Parquet files, {@code rowsPerPartition} rows a partition.
     */
    public static Scored scoreFiles(
            SparkSession spark, List<String> files, Spec spec, long rowsPerPartition) {
        return score(spark, SparkInput.files(spark, files), spec, rowsPerPartition);
    }

    static Scored score(
            SparkSession spark, JavaRDD<InputRow> input, Spec spec, long rowsPerPartition) {
        CountersAccumulator counters = new CountersAccumulator();
        spark.sparkContext().register(counters, "reward4j score counters");
        JavaRDD<Row> scored =
                SparkInput.partitioned(
                                input, SparkInput.alignedRows(rowsPerPartition, spec.batchSize()))
                        .mapPartitions(
                                part -> {
                                    SparkEnv.offline();
                                    int p = TaskContext.getPartitionId();
                                    java.util.Map<String, Long> rowOf = new java.util.HashMap<>();
                                    Iterator<Tuple2<Long, InputRow>> numbered =
                                            new Iterator<>() {
                                                @Override
                                                public boolean hasNext() {
                                                    return part.hasNext();
                                                }

                                                @Override
                                                public Tuple2<Long, InputRow> next() {
                                                    Tuple2<Long, InputRow> t = part.next();
                                                    rowOf.put(
                                                            t._2().file() + ":" + t._2().line(),
                                                            t._1());
                                                    return t;
                                                }
                                            };
                                    PartitionStream<ScoredRow> s =
                                            spec.scorer()
                                                    .score(
                                                            SparkInput.raw(numbered),
                                                            "partition " + p);
                                    return new RowsOut(s, rowOf, counters, p);
                                });
        return new Scored(spark.createDataFrame(scored, SCORED), counters::merged);
    }

    /** Scored rows as Spark rows; adds the partition's counters when exhausted. */
    private static final class RowsOut implements Iterator<Row> {
        private final PartitionStream<ScoredRow> scored;
        private final java.util.Map<String, Long> rowOf;
        private final CountersAccumulator counters;
        private final int partition;
        private boolean added;

        RowsOut(
                PartitionStream<ScoredRow> scored,
                java.util.Map<String, Long> rowOf,
                CountersAccumulator counters,
                int partition) {
            this.scored = scored;
            this.rowOf = rowOf;
            this.counters = counters;
            this.partition = partition;
        }

        @Override
        public boolean hasNext() {
            boolean more = scored.hasNext();
            if (!more && !added) {
                added = true;
                counters.add(new CountersAccumulator.Part(partition, scored.counters()));
            }
            return more;
        }

        @Override
        public Row next() {
            ScoredRow r = scored.next();
            Source s = r.source();
            return RowFactory.create(
                    rowOf.remove(s.toString()),
                    s.file(),
                    s.line(),
                    r.id(),
                    r.prompt(),
                    r.response(),
                    r.reward(),
                    Arrays.stream(r.rewards()).boxed().toArray(Double[]::new));
        }
    }

    /**
     * Best-of-N pairs of scored rows, grouped by prompt: one TRL JSON line per pair ({@link
     * BestOfN.Pair#toTrlJson()}), ordered by the chosen then the rejected row's input position. A
     * {@code uncertainty} column, when the scored rows have one, enters the selection score.
     */
    public static Dataset<String> bestOfN(Dataset<Row> scored, BestOfN selection) {
        boolean hasUncertainty = Arrays.asList(scored.columns()).contains("uncertainty");
        JavaRDD<String> lines =
                scored.toJavaRDD()
                        .mapToPair(
                                r ->
                                        new Tuple2<>(
                                                r.<String>getAs("prompt"),
                                                Candidate.of(r, hasUncertainty)))
                        .groupByKey()
                        .flatMap(
                                g -> {
                                    List<Candidate> group = new ArrayList<>();
                                    g._2().forEach(group::add);
                                    group.sort(Comparator.comparingLong(Candidate::row));
                                    java.util.Map<ScoredRow, Long> rowOf =
                                            new java.util.IdentityHashMap<>();
                                    List<BestOfN.Candidate> in = new ArrayList<>();
                                    for (Candidate c : group) {
                                        BestOfN.Candidate b = c.candidate();
                                        rowOf.put(b.row(), c.row());
                                        in.add(b);
                                    }
                                    List<String> out = new ArrayList<>();
                                    for (BestOfN.Pair pair : selection.select(in)) {
                                        out.add(
                                                String.format(
                                                                java.util.Locale.ROOT,
                                                                "%020d-%020d",
                                                                rowOf.get(pair.chosen().row()),
                                                                rowOf.get(pair.rejected().row()))
                                                        + "\t"
                                                        + pair.toTrlJson());
                                    }
                                    return out.iterator();
                                })
                        .sortBy(s -> s.substring(0, s.indexOf('\t')), true, 1)
                        .map(s -> s.substring(s.indexOf('\t') + 1));
        return scored.sparkSession().createDataset(lines.rdd(), Encoders.STRING());
    }

    /** A scored row with its input position, as it travels through the shuffle. */
    private record Candidate(
            long row,
            String id,
            String file,
            long line,
            String prompt,
            String response,
            double[] rewards,
            double uncertainty)
            implements Serializable {
        private static final long serialVersionUID = 1L;

        static Candidate of(Row r, boolean hasUncertainty) {
            List<Double> rewards = r.getList(r.fieldIndex("rewards"));
            return new Candidate(
                    r.<Long>getAs("row"),
                    r.getAs("id"),
                    r.getAs("source_file"),
                    r.<Long>getAs("source_line"),
                    r.getAs("prompt"),
                    r.getAs("response"),
                    rewards.stream().mapToDouble(Double::doubleValue).toArray(),
                    hasUncertainty ? r.<Double>getAs("uncertainty") : 0);
        }

        BestOfN.Candidate candidate() {
            return new BestOfN.Candidate(
                    new ScoredRow(id, new Source(file, line), prompt, response, rewards),
                    uncertainty);
        }
    }
}
