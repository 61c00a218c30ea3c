package dev.reward4j.trainers.app.spark;

import dev.reward4j.core.data.DataCounters;
import dev.reward4j.core.data.PaddingSide;
import dev.reward4j.core.data.PairCollator;
import dev.reward4j.core.model.AttentionImpl;
import dev.reward4j.core.model.DecoderModel;
import dev.reward4j.core.model.ModelHead;
import dev.reward4j.core.model.ModelOptions;
import dev.reward4j.core.text.TextEncoder;
import dev.reward4j.trainers.config.RunConfig;
import dev.reward4j.trainers.corpus.CorpusReference;
import dev.reward4j.trainers.corpus.PartitionStream;
import dev.reward4j.trainers.corpus.ReferenceLogps;
import dev.reward4j.trainers.device.DeviceSpec;
import dev.reward4j.trainers.reference.FrozenReference;
import dev.reward4j.trainers.reference.ReferenceCache;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Distributed reference log-probs of every pair of a DPO corpus ({@code data.train}, and {@code
 * data.eval} when set), computed as {@code train} computes them for {@code model.reference_cache}
 * ({@link CorpusReference}, one reference model per executor JVM) and written into the exact cache
 * file {@code train} opens and validates ({@link ReferenceCache#fileFor}: the reference model's
 * digest, each pair's id and token digest), so a policy run skips the reference forward.
 */
public final class SparkReference {
    /**
     * The computed log-probs, one row per pair: {@code id}, {@code source_file}, {@code
     * source_line}, {@code token_digest}, {@code chosen_logps}, {@code rejected_logps} (summed over
     * response tokens) and {@code chosen_tokens}, {@code rejected_tokens} (response token counts).
     */
    public static final StructType LOGPS =
            new StructType()
                    .add("id", DataTypes.StringType, false)
                    .add("source_file", DataTypes.StringType, false)
                    .add("source_line", DataTypes.LongType, false)
                    .add("token_digest", DataTypes.LongType, false)
                    .add("chosen_logps", DataTypes.DoubleType, false)
                    .add("rejected_logps", DataTypes.DoubleType, false)
                    .add("chosen_tokens", DataTypes.IntegerType, false)
                    .add("rejected_tokens", DataTypes.IntegerType, false);

    private SparkReference() {}

    /**
     * The reference model and batching of a run configuration.
     *
     * @param referenceDir {@code model.reference} (else {@code model.path})
     * @param dtype {@code model.dtype}
     * @param attention {@code model.attention}
     * @param device {@code train.device}, on each executor
     * @param batchSize {@code data.eval_batch_size}
     */
    record ModelSpec(
            String referenceDir, String dtype, String attention, String device, int batchSize)
            implements Serializable {
        private static final long serialVersionUID = 1L;

        static ModelSpec of(RunConfig cfg) {
            return new ModelSpec(
                    cfg.model().referenceOrModel(),
                    cfg.model().dtype(),
                    cfg.model().attention(),
                    cfg.train().device(),
                    cfg.data().evalBatchSize());
        }

        /** This JVM's frozen reference model. */
        FrozenReference reference() {
            return ExecutorResources.get(
                    "reference:" + referenceDir + "|" + dtype + "|" + attention + "|" + device,
                    () ->
                            new FrozenReference(
                                    DecoderModel.load(
                                            Path.of(referenceDir),
                                            ModelHead.LM,
                                            ModelOptions.defaults()
                                                    .withDevice(DeviceSpec.resolve(device))
                                                    .withDtype(
                                                            dtype.equals("float16")
                                                                    ? ai.djl.ndarray.types.DataType
                                                                            .FLOAT16
                                                                    : ai.djl.ndarray.types.DataType
                                                                            .FLOAT32)
                                                    .withAttention(
                                                            AttentionImpl.valueOf(
                                                                    attention.toUpperCase(
                                                                            Locale.ROOT))))));
        }
    }

    /**
     * The log-probs of one input file's pairs and their counters.
     *
     * @param logps the rows ({@link #LOGPS})
     * @param counters the merged counters (complete once the rows were computed)
     */
    public record Logps(Dataset<Row> logps, java.util.function.Supplier<DataCounters> counters) {}

    /** The log-probs of the pairs of {@code files}, read and tokenized as {@code pairs} says. */
    static Logps compute(
            SparkSession spark,
            List<String> files,
            PairsSpec pairs,
            ModelSpec model,
            long rowsPerPartition) {
        CountersAccumulator counters = new CountersAccumulator();
        spark.sparkContext().register(counters, "reward4j reference counters");
        JavaRDD<Row> rows =
                SparkInput.partitioned(
                                SparkInput.files(spark, files),
                                SparkInput.alignedRows(rowsPerPartition, model.batchSize()))
                        .mapPartitions(
                                part -> {
                                    SparkEnv.offline();
                                    int p = TaskContext.getPartitionId();
                                    TextEncoder encoder = PairsSpec.encoder(pairs.tokenizerDir());
                                    CorpusReference job =
                                            new CorpusReference(
                                                    pairs.preparation(),
                                                    model.reference(),
                                                    new PairCollator(
                                                            encoder.padding(PaddingSide.RIGHT)),
                                                    model.batchSize());
                                    PartitionStream<ReferenceLogps> s =
                                            job.compute(SparkInput.raw(part), "partition " + p);
                                    return new Iterator<Row>() {
                                        private boolean added;

                                        @Override
                                        public boolean hasNext() {
                                            boolean more = s.hasNext();
                                            if (!more && !added) {
                                                added = true;
                                                counters.add(
                                                        new CountersAccumulator.Part(
                                                                p, s.counters()));
                                            }
                                            return more;
                                        }

                                        @Override
                                        public Row next() {
                                            ReferenceLogps r = s.next();
                                            return RowFactory.create(
                                                    r.id(),
                                                    r.source().file(),
                                                    r.source().line(),
                                                    r.tokenDigest(),
                                                    r.chosen(),
                                                    r.rejected(),
                                                    r.chosenTokens(),
                                                    r.rejectedTokens());
                                        }
                                    };
                                });
        return new Logps(spark.createDataFrame(rows, LOGPS), counters::merged);
    }

    /**
     * The result of the job.
     *
     * @param cacheFile the cache file written
     * @param pairs pairs in it
     * @param train counters of {@code data.train}
     * @param eval counters of {@code data.eval} (empty when unset)
     */
    public record Result(
            String cacheFile, long pairs, DataCounters train, Optional<DataCounters> eval) {}

    /**
     * Computes the reference log-probs of the pairs of {@code data.train} (training rows) and
     * {@code data.eval} (held-out rows) of {@code cfg} and writes the cache {@code train} reads
     * from {@code model.reference_cache}; with {@code tableDir}, also the {@link #LOGPS} rows as
     * Parquet.
     *
     * @param rowsPerPartition input rows per partition
     */
    public static Result run(
            SparkSession spark, RunConfig cfg, long rowsPerPartition, String tableDir)
            throws IOException {
        if (cfg.model().referenceCache() == null) {
            throw new IllegalArgumentException(
                    "spark reference: model.reference_cache is not set (got nothing); expected the"
                            + " directory train will read the cache from");
        }
        ModelSpec model = ModelSpec.of(cfg);
        List<Dataset<Row>> parts = new ArrayList<>();
        Logps train =
                compute(
                        spark,
                        List.of(cfg.data().train()),
                        PairsSpec.of(cfg, cfg.data().trainingRows(cfg.dataFormat())),
                        model,
                        rowsPerPartition);
        parts.add(train.logps());
        Logps eval = null;
        if (cfg.data().eval() != null) {
            eval =
                    compute(
                            spark,
                            List.of(cfg.data().eval()),
                            PairsSpec.of(cfg, cfg.data().heldOutRows(cfg.dataFormat())),
                            model,
                            rowsPerPartition);
            parts.add(eval.logps());
        }
        Dataset<Row> all = parts.size() == 1 ? parts.get(0) : parts.get(0).union(parts.get(1));
        all = all.persist(org.apache.spark.storage.StorageLevel.MEMORY_AND_DISK());
        try {
            if (tableDir != null) {
                all.write().parquet(tableDir);
            }
            List<ReferenceCache.CachedPair> cached = new ArrayList<>();
            all.toLocalIterator()
                    .forEachRemaining(
                            r ->
                                    cached.add(
                                            new ReferenceCache.CachedPair(
                                                    r.getString(0),
                                                    r.getLong(3),
                                                    r.getDouble(4),
                                                    r.getDouble(5))));
            String digest = ReferenceCache.digestOf(Path.of(model.referenceDir()));
            Path file = ReferenceCache.fileFor(Path.of(cfg.model().referenceCache()), digest);
            ReferenceCache.write(file, digest, cached);
            return new Result(
                    file.toString(),
                    cached.size(),
                    train.counters().get(),
                    eval == null ? Optional.empty() : Optional.of(eval.counters().get()));
        } finally {
            all.unpersist();
        }
    }
}
