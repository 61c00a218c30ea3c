package dev.reward4j.trainers.app.spark;

import dev.reward4j.core.data.DataCounters;
import dev.reward4j.trainers.config.RunConfig;
import dev.reward4j.trainers.corpus.BestOfN;
import dev.reward4j.trainers.corpus.ShardManifest;
import dev.reward4j.trainers.metrics.RunSummary;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The three jobs as the command line runs them ({@code reward4j spark score|reference|prepare}):
 * start or join the Spark session, run the job, write its outputs and print where they are. A
 * task's bad input (a malformed row in strict mode: file, line and field) is rethrown as the {@link
 * IllegalArgumentException} it was, so the command reports it as a user error.
 */
public final class SparkJobs {
    private SparkJobs() {}

    /** The session: spark-submit's (its {@code --master}), or one on {@code master} when given. */
    static SparkSession session(String job, String master) {
        SparkSession.Builder b = SparkSession.builder().appName("reward4j spark " + job);
        if (master != null) {
            b = b.master(master);
        }
        return b.getOrCreate();
    }

    /**
     * {@code spark score}: scores {@code inputs} into Parquet at {@code output} with {@code
     * _reward4j_counters.json}; with {@code selection}, writes best-of-N pairs to {@code
     * bestOfNDir/pairs.jsonl}.
     */
    public static void score(
            String master,
            List<String> inputs,
            String output,
            SparkScoring.Spec spec,
            long rowsPerPartition,
            BestOfN selection,
            String bestOfNDir,
            PrintStream out) {
        SparkSession spark = session("score", master);
        userErrors(
                () -> {
                    SparkScoring.Scored scored =
                            SparkScoring.scoreFiles(spark, inputs, spec, rowsPerPartition);
                    scored.rows().write().parquet(output);
                    DataCounters c = scored.counters().get();
                    HadoopFiles.writeString(
                            spark.sparkContext().hadoopConfiguration(),
                            output + "/_reward4j_counters.json",
                            countersJson(c));
                    out.println("scored rows in " + output + " (" + c.summary() + ")");
                    if (selection != null) {
                        Dataset<Row> written = spark.read().parquet(output);
                        SparkScoring.bestOfN(written, selection)
                                .coalesce(1)
                                .write()
                                .text(bestOfNDir);
                        String file =
                                HadoopFiles.renameSinglePart(
                                        spark.sparkContext().hadoopConfiguration(),
                                        bestOfNDir,
                                        "pairs.jsonl");
                        out.println(
                                "best-of-N pairs ("
                                        + selection.pairing().key()
                                        + ") in "
                                        + file
                                        + " (data.format: trl)");
                    }
                    return null;
                });
    }

    /**
     * {@code spark reference}: the reference cache of {@code cfg} (and its table at {@code
     * tableDir}).
     */
    public static void reference(
            String master, RunConfig cfg, long rowsPerPartition, String tableDir, PrintStream out) {
        SparkSession spark = session("reference", master);
        SparkReference.Result r =
                userErrors(() -> SparkReference.run(spark, cfg, rowsPerPartition, tableDir));
        out.println("data.train: " + r.train().summary());
        r.eval().ifPresent(e -> out.println("data.eval: " + e.summary()));
        out.println(
                r.pairs()
                        + " pairs' reference log-probs in "
                        + r.cacheFile()
                        + " (model.reference_cache)");
    }

    /** {@code spark prepare}: the tokenized shards of {@code cfg}'s {@code data.train}. */
    public static void prepare(
            String master,
            RunConfig cfg,
            String output,
            long rowsPerShard,
            int packLength,
            PrintStream out) {
        SparkSession spark = session("prepare", master);
        ShardManifest m =
                userErrors(
                        () -> SparkPreparation.run(spark, cfg, output, rowsPerShard, packLength));
        out.println(
                m.pairs()
                        + " pairs in "
                        + m.shards().size()
                        + " shards in "
                        + output
                        + " (data.train: "
                        + output
                        + "); "
                        + m.dataCounters().summary());
    }

    /** A job's body. */
    @FunctionalInterface
    interface Job<T> {
        T run() throws Exception;
    }

    /**
     * Runs {@code job}; a Spark failure caused by bad input is rethrown as that input's {@link
     * IllegalArgumentException} (its message names file, line and field).
     */
    static <T> T userErrors(Job<T> job) {
        try {
            return job.run();
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (Exception e) {
            for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
                if (t instanceof IllegalArgumentException bad) {
                    throw new IllegalArgumentException(bad.getMessage(), e);
                }
            }
            if (e instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e);
        }
    }

    static String countersJson(DataCounters c) {
        Map<String, Object> m = new LinkedHashMap<>(RunSummary.counters(c));
        m.putAll(c.locations());
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper()
                            .writerWithDefaultPrettyPrinter()
                            .writeValueAsString(m)
                    + "\n";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
