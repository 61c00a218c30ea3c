package dev.reward4j.bench.spark;

import dev.reward4j.core.data.DataCounters;
import dev.reward4j.core.data.PaddingSide;
import dev.reward4j.core.data.ReadOptions;
import dev.reward4j.core.model.Architecture;
import dev.reward4j.core.model.DecoderModel;
import dev.reward4j.core.model.ModelConfig;
import dev.reward4j.core.model.ModelHead;
import dev.reward4j.core.model.ModelOptions;
import dev.reward4j.core.text.TextEncoder;
import dev.reward4j.trainers.app.spark.SparkScoring;
import dev.reward4j.trainers.corpus.CorpusScorer;
import dev.reward4j.trainers.corpus.ModelSequenceScorer;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.apache.spark.sql.SparkSession;

/**
 * Rows/s of distributed reward scoring ({@code SparkScoring}, the job behind {@code reward4j spark
 * score}) in Spark local mode with 1 and 2 executor cores, and of the single-process scorer ({@code
 * CorpusScorer}, the same partition function in one pass) on the same file, with the same model and
 * one libtorch thread per core; prints one JSON line per configuration, then the speedup of 2 cores
 * over 1 and the overhead of Spark on 1 core against the single process ({@code single rows/s /
 * spark[1] rows/s - 1}). A benchmark, not a test: run it on an idle machine (the load average is
 * printed).
 *
 * <pre>
 * java --add-opens ... -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=1 -cp ... \
 *     dev.reward4j.bench.spark.SparkScoreThroughput [--rows 4000] [--model small|fixture] [--repeats 2]
 * </pre>
 *
 * <p>Models: {@code small} (Llama shape, width 256, 4 layers, 8/4 heads, MLP 768, random weights,
 * the fixture tokenizer's vocabulary) or {@code fixture} (the 64-wide test fixture {@code
 * llama-rm}). Rows: a prompt of 8-40 words and a response of 8-60 words, max length 256.
 */
public final class SparkScoreThroughput {
    private SparkScoreThroughput() {}

    /**
     * Runs the benchmark.
     *
     * @param args {@code --rows N}, {@code --model small|fixture}, {@code --repeats N}
     */
    public static void main(String[] args) throws Exception {
        int rows = 4000;
        String modelName = "small";
        int repeats = 2;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--rows" -> rows = Integer.parseInt(args[i + 1]);
                case "--model" -> modelName = args[i + 1];
                case "--repeats" -> repeats = Integer.parseInt(args[i + 1]);
                default ->
                        throw new IllegalArgumentException(
                                "usage: SparkScoreThroughput [--rows N] [--model small|fixture]"
                                        + " [--repeats N]");
            }
        }
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        Path fixtures = fixtures();
        Path tokenizer = fixtures.resolve("tokenizer");
        Path work = Files.createTempDirectory("reward4j-spark-bench");
        Path model = modelName.equals("fixture") ? fixtures.resolve("llama-rm") : small(work);
        Path input = rows(work.resolve("rows.jsonl"), rows);
        SparkScoring.Spec spec =
                new SparkScoring.Spec(
                        model.toString(),
                        tokenizer.toString(),
                        256,
                        "keep-prompt-end",
                        16,
                        false,
                        "cpu");
        System.out.printf(
                Locale.ROOT,
                "{\"benchmark\": \"spark-score\", \"rows\": %d, \"model\": \"%s\", \"threads\":"
                        + " \"%s\", \"load_before\": %.2f}%n",
                rows,
                modelName,
                System.getProperty("ai.djl.pytorch.num_threads", "default"),
                load());
        double single = 0;
        for (int r = 0; r < repeats; r++) {
            single = Math.max(single, singleProcess(input, model, tokenizer, spec));
        }
        print("single-process", 1, rows, single);
        double[] spark = new double[3];
        for (int cores = 1; cores <= 2; cores++) {
            SparkSession session =
                    SparkSession.builder()
                            .master("local[" + cores + "]")
                            .appName("reward4j-bench")
                            .config("spark.ui.enabled", "false")
                            .config("spark.driver.bindAddress", "127.0.0.1")
                            .config("spark.driver.host", "127.0.0.1")
                            .getOrCreate();
            try {
                // warm-up: load the executor's model and tokenizer, JIT the path
                run(session, input, spec, rows, work.resolve("warm-" + cores));
                for (int r = 0; r < repeats; r++) {
                    spark[cores] =
                            Math.max(
                                    spark[cores],
                                    run(session, input, spec, rows, work.resolve(cores + "-" + r)));
                }
            } finally {
                session.stop();
            }
            print("spark local[" + cores + "]", cores, rows, spark[cores]);
        }
        System.out.printf(
                Locale.ROOT,
                "{\"speedup_2_vs_1_cores\": %.2f, \"spark_1_core_overhead_vs_single\": %.3f,"
                        + " \"load_after\": %.2f}%n",
                spark[2] / spark[1],
                single / spark[1] - 1,
                load());
    }

    private static void print(String what, int cores, int rows, double rowsPerSecond) {
        System.out.printf(
                Locale.ROOT,
                "{\"path\": \"%s\", \"cores\": %d, \"rows\": %d, \"rows_per_s\": %.1f}%n",
                what,
                cores,
                rows,
                rowsPerSecond);
    }

    /** Rows/s of one Spark job: score every row and write the Parquet output. */
    private static double run(
            SparkSession spark, Path input, SparkScoring.Spec spec, int rows, Path out) {
        long t0 = System.nanoTime();
        SparkScoring.Scored s =
                SparkScoring.scoreFiles(
                        spark,
                        List.of(input.toString()),
                        spec,
                        Math.max(
                                spec.batchSize(),
                                rows / (4 * spark.sparkContext().defaultParallelism())));
        s.rows().write().parquet(out.toString());
        DataCounters c = s.counters().get();
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (c.keptCount() != rows) {
            throw new IllegalStateException("bench: scored " + c.summary() + "; expected " + rows);
        }
        return rows / seconds;
    }

    /** Rows/s of the single-process path (model loading excluded, as the executors keep theirs). */
    private static double singleProcess(
            Path input, Path model, Path tokenizer, SparkScoring.Spec spec) throws IOException {
        try (TextEncoder enc = TextEncoder.load(tokenizer);
                DecoderModel m =
                        ModelSequenceScorer.loadRewardModel(
                                model, tokenizer, ModelOptions.defaults())) {
            CorpusScorer scorer =
                    new CorpusScorer(
                            enc,
                            spec.policy(),
                            new ModelSequenceScorer(m, enc.padding(PaddingSide.RIGHT).padId()),
                            spec.batchSize(),
                            ReadOptions.defaults());
            long[] n = {0};
            long t0 = System.nanoTime();
            scorer.scoreFiles(List.of(input), r -> n[0]++);
            return n[0] / ((System.nanoTime() - t0) / 1e9);
        }
    }

    /** A random-weight Llama-shaped reward model over the fixture tokenizer's vocabulary. */
    private static Path small(Path work) {
        Path dir = work.resolve("small-rm");
        ModelConfig config =
                ModelConfig.of(Architecture.LLAMA, 512, 256, 4, 8, 4, 768).withMaxPositions(512);
        try (DecoderModel m =
                DecoderModel.create(config, new ModelHead.Reward(1), 7, ModelOptions.defaults())) {
            m.save(dir, fixtures().resolve("tokenizer"));
        }
        return dir;
    }

    private static Path rows(Path file, int n) throws IOException {
        String[] words =
                "the cat sat on a mat and dog ran to see two plus three is five what why blue sky"
                        .split(" ");
        SplittableRandom r = new SplittableRandom(5);
        List<String> lines = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            lines.add(
                    "{\"id\":\"r"
                            + i
                            + "\",\"prompt\":\""
                            + words(r, words, 8, 40)
                            + "\",\"response\":\" "
                            + words(r, words, 8, 60)
                            + "\"}");
        }
        Files.write(file, lines, StandardCharsets.UTF_8);
        return file;
    }

    private static String words(SplittableRandom r, String[] words, int min, int max) {
        StringBuilder b = new StringBuilder();
        int n = min + r.nextInt(max - min + 1);
        for (int i = 0; i < n; i++) {
            b.append(i == 0 ? "" : " ").append(words[r.nextInt(words.length)]);
        }
        return b.toString();
    }

    private static Path fixtures() {
        String prop = System.getProperty("reward4j.fixtures");
        Path p = Path.of(prop != null ? prop : "core/src/test/resources/fixtures/hf");
        if (!Files.isDirectory(p)) {
            throw new IllegalStateException(
                    "bench: fixtures not found at "
                            + p.toAbsolutePath()
                            + "; run from the repository root or set -Dreward4j.fixtures");
        }
        return p;
    }

    private static double load() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }
}
