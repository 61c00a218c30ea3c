package dev.reward4j.trainers.app.spark;

import dev.reward4j.core.data.DataCounters;
import dev.reward4j.trainers.config.ConfigException;
import dev.reward4j.trainers.config.ConfigLoader;
import dev.reward4j.trainers.config.RunConfig;
import dev.reward4j.trainers.config.StandardObjectives;
import dev.reward4j.trainers.corpus.BestOfN;
import dev.reward4j.trainers.corpus.ShardManifest;
import dev.reward4j.trainers.metrics.RunSummary;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * {@code reward4j spark score|reference|prepare}: the Spark jobs from the command line (through
 * {@code spark-submit --class dev.reward4j.trainers.app.spark.SparkMain}, or the launcher with
 * Spark on its class path and {@code --master}).
 *
 * <pre>
 * reward4j spark score     --model DIR --input FILE[,FILE...] --output DIR [--tokenizer DIR] [--batch-size 16]
 *                          [--max-length 512] [--truncation keep-prompt-end|keep-end|drop] [--lenient false]
 *                          [--rows-per-partition 10000] [--device cpu] [--best-of-n DIR]
 *                          [--pairing best-vs-worst|best-vs-rest] [--penalty 0] [--master URL]
 * reward4j spark reference --config run.yaml [--set key=value]... [--output DIR] [--rows-per-partition 10000] [--master URL]
 * reward4j spark prepare   --config run.yaml [--set key=value]... --output DIR [--rows-per-shard 100000]
 *                          [--pack-length 0] [--master URL]
 * </pre>
 */
public final class SparkCommand {
    /** The options of each job. */
    static final Map<String, List<String>> OPTIONS =
            Map.of(
                    "score",
                    List.of(
                            "model",
                            "input",
                            "output",
                            "tokenizer",
                            "batch-size",
                            "max-length",
                            "truncation",
                            "lenient",
                            "rows-per-partition",
                            "device",
                            "best-of-n",
                            "pairing",
                            "penalty",
                            "master"),
                    "reference",
                    List.of("config", "set", "output", "rows-per-partition", "master"),
                    "prepare",
                    List.of("config", "set", "output", "rows-per-shard", "pack-length", "master"));

    private SparkCommand() {}

    static String usage() {
        return String.join(
                "\n",
                "usage: reward4j spark score --model DIR --input FILE[,FILE...] --output DIR"
                        + " [--tokenizer DIR] [--batch-size 16] [--max-length 512]",
                "                            [--truncation keep-prompt-end|keep-end|drop]"
                        + " [--lenient false] [--rows-per-partition 10000] [--device cpu]",
                "                            [--best-of-n DIR] [--pairing"
                        + " best-vs-worst|best-vs-rest] [--penalty 0] [--master URL]",
                "       reward4j spark reference --config run.yaml [--set key=value]... [--output"
                        + " DIR] [--rows-per-partition 10000] [--master URL]",
                "       reward4j spark prepare --config run.yaml [--set key=value]... --output DIR"
                        + " [--rows-per-shard 100000] [--pack-length 0] [--master URL]");
    }

    /**
     * Runs one job.
     *
     * @param args the job name and its options
     * @return the exit status (0 success, 2 usage or configuration error or bad input, e.g. a
     *     malformed row in strict mode, 1 failure)
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        try {
            if (args.length == 0 || !OPTIONS.containsKey(args[0])) {
                throw new ConfigException(
                        "reward4j spark: expected score, reference or prepare (got "
                                + (args.length == 0 ? "nothing" : "'" + args[0] + "'")
                                + ")\n"
                                + usage());
            }
            Options o = Options.parse(args, OPTIONS.get(args[0]));
            SparkSession.Builder b = SparkSession.builder().appName("reward4j " + args[0]);
            if (o.value("master") != null) {
                b = b.master(o.value("master"));
            }
            SparkSession spark = b.getOrCreate();
            switch (args[0]) {
                case "score" -> score(spark, o, out);
                case "reference" -> reference(spark, o, out);
                default -> prepare(spark, o, out);
            }
            return 0;
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            return 2;
        } catch (Exception e) {
            // a task's bad input (file, line and field) arrives wrapped in Spark's job failure
            for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
                if (t instanceof IllegalArgumentException) {
                    err.println("reward4j spark: the job failed: " + t.getMessage());
                    return 2;
                }
            }
            err.println("reward4j spark: " + e);
            e.printStackTrace(err);
            return 1;
        }
    }

    private static void score(SparkSession spark, Options o, PrintStream out) throws Exception {
        SparkScoring.Spec d = SparkScoring.Spec.of(o.required("model"));
        SparkScoring.Spec spec =
                new SparkScoring.Spec(
                        d.modelDir(),
                        o.value("tokenizer"),
                        o.intOr("max-length", d.maxLength()),
                        o.valueOr("truncation", d.truncation()),
                        o.intOr("batch-size", d.batchSize()),
                        Boolean.parseBoolean(o.valueOr("lenient", "false")),
                        o.valueOr("device", d.device()));
        spec.policy(); // a bad --max-length or --truncation fails here, before any task
        BestOfN selection =
                o.value("best-of-n") == null
                        ? null
                        : new BestOfN(
                                BestOfN.Pairing.parse(o.valueOr("pairing", "best-vs-worst")),
                                o.doubleOr("penalty", 0));
        String output = o.required("output");
        SparkScoring.Scored scored =
                SparkScoring.scoreFiles(
                        spark,
                        SparkInput.list(o.required("input")),
                        spec,
                        o.longOr("rows-per-partition", 10_000));
        scored.rows().write().parquet(output);
        DataCounters c = scored.counters().get();
        HadoopFiles.writeString(
                spark.sparkContext().hadoopConfiguration(),
                output + "/_reward4j_counters.json",
                countersJson(c));
        out.println("reward4j spark score: " + c.summary() + "; scored rows in " + output);
        if (selection != null) {
            String dir = o.value("best-of-n");
            Dataset<Row> written = spark.read().parquet(output);
            SparkScoring.bestOfN(written, selection).coalesce(1).write().text(dir);
            String file =
                    HadoopFiles.renameSinglePart(
                            spark.sparkContext().hadoopConfiguration(), dir, "pairs.jsonl");
            out.println(
                    "reward4j spark score: best-of-N pairs ("
                            + selection.pairing().key()
                            + ") in "
                            + file
                            + " (data.format: trl)");
        }
    }

    private static RunConfig config(Options o) {
        return new ConfigLoader(StandardObjectives.catalog())
                .load(Path.of(o.required("config")), o.sets);
    }

    private static void reference(SparkSession spark, Options o, PrintStream out) throws Exception {
        SparkReference.Result r =
                SparkReference.run(
                        spark,
                        config(o),
                        o.longOr("rows-per-partition", 10_000),
                        o.value("output"));
        out.println("reward4j spark reference: data.train " + r.train().summary());
        r.eval().ifPresent(e -> out.println("reward4j spark reference: data.eval " + e.summary()));
        out.println(
                "reward4j spark reference: "
                        + r.pairs()
                        + " pairs' reference log-probs in "
                        + r.cacheFile()
                        + " (model.reference_cache)");
    }

    private static void prepare(SparkSession spark, Options o, PrintStream out) throws Exception {
        ShardManifest m =
                SparkPreparation.run(
                        spark,
                        config(o),
                        o.required("output"),
                        o.longOr("rows-per-shard", 100_000),
                        o.intOr("pack-length", 0));
        out.println(
                "reward4j spark prepare: "
                        + m.pairs()
                        + " pairs in "
                        + m.shards().size()
                        + " shards in "
                        + o.required("output")
                        + " (data.train); counters "
                        + m.counters());
    }

    static String countersJson(DataCounters c) {
        Map<String, Object> m = new LinkedHashMap<>(RunSummary.counters(c));
        m.put("dropped_at", c.droppedAt());
        m.put("invalid_at", c.invalidAt());
        m.put("skipped_at", c.skippedAt());
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper()
                            .writerWithDefaultPrettyPrinter()
                            .writeValueAsString(m)
                    + "\n";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Parsed {@code --key value} options; {@code --set} may repeat. */
    static final class Options {
        final Map<String, String> values = new LinkedHashMap<>();
        final List<String> sets = new ArrayList<>();

        static Options parse(String[] args, List<String> accepted) {
            Options o = new Options();
            for (int i = 1; i < args.length; i++) {
                String a = args[i];
                if (!a.startsWith("--") || i + 1 >= args.length) {
                    throw new ConfigException(
                            "reward4j spark: expected --option value pairs (got '"
                                    + a
                                    + "')\n"
                                    + usage());
                }
                String key = a.substring(2);
                if (!accepted.contains(key)) {
                    throw new ConfigException(
                            "reward4j spark "
                                    + args[0]
                                    + ": unknown option '"
                                    + a
                                    + "'; expected one of "
                                    + accepted.stream().map(k -> "--" + k).toList()
                                    + "\n"
                                    + usage());
                }
                String value = args[++i];
                if (key.equals("set")) {
                    o.sets.add(value);
                } else {
                    o.values.put(key, value);
                }
            }
            return o;
        }

        String value(String key) {
            return values.get(key);
        }

        String valueOr(String key, String fallback) {
            return values.getOrDefault(key, fallback);
        }

        String required(String key) {
            String v = values.get(key);
            if (v == null) {
                throw new ConfigException("reward4j spark: --" + key + " is required\n" + usage());
            }
            return v;
        }

        int intOr(String key, int fallback) {
            return (int) longOr(key, fallback);
        }

        long longOr(String key, long fallback) {
            String v = values.get(key);
            try {
                return v == null ? fallback : Long.parseLong(v);
            } catch (NumberFormatException e) {
                throw new ConfigException("--" + key + ": expected an integer (got '" + v + "')");
            }
        }

        double doubleOr(String key, double fallback) {
            String v = values.get(key);
            try {
                return v == null ? fallback : Double.parseDouble(v);
            } catch (NumberFormatException e) {
                throw new ConfigException("--" + key + ": expected a number (got '" + v + "')");
            }
        }
    }
}
