package dev.reward4j.trainers.app.spark;

import dev.reward4j.trainers.checkpoint.RunInfo;
import dev.reward4j.trainers.config.RunConfig;
import dev.reward4j.trainers.corpus.CorpusPreparation;
import dev.reward4j.trainers.corpus.ShardManifest;
import dev.reward4j.trainers.corpus.TokenizedShards;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.TaskContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.SerializableConfiguration;
import scala.Tuple2;

/**
 * Distributed data preparation: the pairs of {@code data.train} read and tokenized exactly as
 * {@code train} reads them ({@link CorpusPreparation}), written as tokenized Parquet shards, one
 * shard per partition of {@code rowsPerShard} consecutive input rows, plus {@code manifest.json}
 * with the counters of the whole input merged in shard order. The shard files are the same bytes
 * the single-process path ({@link CorpusPreparation#prepareFiles}) writes; {@code train} reads the
 * directory as {@code data.train}.
 */
public final class SparkPreparation {
    private SparkPreparation() {}

    /**
     * Prepares the training file of {@code cfg} into {@code outDir} (any Hadoop file system path).
     *
     * @param rowsPerShard input rows per shard
     * @param packLength 0 for one pair per row, else pairs packed into rows of this many tokens
     * @return the manifest written
     */
    public static ShardManifest run(
            SparkSession spark, RunConfig cfg, String outDir, long rowsPerShard, int packLength)
            throws IOException {
        PairsSpec spec = PairsSpec.of(cfg, cfg.data().trainingRows(cfg.dataFormat()));
        List<String> inputs = List.of(cfg.data().train());
        return run(spark, inputs, spec, outDir, rowsPerShard, packLength);
    }

    static ShardManifest run(
            SparkSession spark,
            List<String> inputs,
            PairsSpec spec,
            String outDir,
            long rowsPerShard,
            int packLength)
            throws IOException {
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        if (HadoopFiles.exists(hadoop, outDir + "/" + ShardManifest.FILE)) {
            throw new IllegalArgumentException(
                    "spark prepare: "
                            + outDir
                            + " already holds prepared shards; expected a new output directory");
        }
        HadoopFiles.mkdirs(hadoop, outDir);
        SerializableConfiguration conf = new SerializableConfiguration(hadoop);
        List<Tuple2<Integer, CorpusPreparation.ShardResult>> written =
                SparkInput.partitioned(SparkInput.files(spark, inputs), rowsPerShard)
                        .mapPartitionsWithIndex(
                                (k, part) -> {
                                    SparkEnv.offline();
                                    HadoopFiles.Commit file =
                                            HadoopFiles.create(
                                                    conf.value(),
                                                    outDir,
                                                    TokenizedShards.shardName(k),
                                                    TaskContext.get().taskAttemptId());
                                    CorpusPreparation.ShardResult r =
                                            spec.preparation()
                                                    .writeShard(
                                                            SparkInput.raw(part),
                                                            "shard " + k,
                                                            file.out(),
                                                            packLength);
                                    file.commit();
                                    return List.of(new Tuple2<>(k, r)).iterator();
                                },
                                true)
                        .collect();
        List<Tuple2<Integer, CorpusPreparation.ShardResult>> sorted = new ArrayList<>(written);
        sorted.sort(java.util.Comparator.comparingInt(Tuple2::_1));
        ShardManifest m =
                ShardManifest.of(
                        inputs,
                        spec.format(),
                        spec.truncation().toString(),
                        tokenizerFacts(spec.tokenizerDir()),
                        rowsPerShard,
                        packLength,
                        sorted.stream().map(Tuple2::_2).toList());
        HadoopFiles.writeString(hadoop, outDir + "/" + ShardManifest.FILE, m.toJson());
        return m;
    }

    /** The tokenizer facts a manifest records (directory and {@code tokenizer.json} digest). */
    static Map<String, String> tokenizerFacts(String dir) {
        return RunInfo.tokenizerFacts(Path.of(dir));
    }
}
