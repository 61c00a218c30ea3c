package dev.reward4j.trainers.app.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.reward4j.core.data.DataCounters;
import dev.reward4j.core.data.PaddingSide;
import dev.reward4j.core.data.PairCollator;
import dev.reward4j.core.data.ReadOptions;
import dev.reward4j.core.data.TokenizedPair;
import dev.reward4j.core.model.DecoderModel;
import dev.reward4j.core.model.ModelHead;
import dev.reward4j.core.model.ModelOptions;
import dev.reward4j.core.pipeline.DataPipeline;
import dev.reward4j.core.pipeline.Prepared;
import dev.reward4j.core.testing.Fixtures;
import dev.reward4j.core.text.TextEncoder;
import dev.reward4j.trainers.app.launcher.Reward4j;
import dev.reward4j.trainers.config.ConfigLoader;
import dev.reward4j.trainers.config.RunConfig;
import dev.reward4j.trainers.config.StandardObjectives;
import dev.reward4j.trainers.corpus.BestOfN;
import dev.reward4j.trainers.corpus.CorpusPreparation;
import dev.reward4j.trainers.corpus.CorpusReference;
import dev.reward4j.trainers.corpus.CorpusScorer;
import dev.reward4j.trainers.corpus.ModelSequenceScorer;
import dev.reward4j.trainers.corpus.ReferenceLogps;
import dev.reward4j.trainers.corpus.ScoredRow;
import dev.reward4j.trainers.corpus.ShardManifest;
import dev.reward4j.trainers.corpus.TokenizedShards;
import dev.reward4j.trainers.reference.FrozenReference;
import dev.reward4j.trainers.reference.ReferenceCache;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Spark jobs in local mode ({@code local[2]}, in process, one session for every test) against
 * the single-process path on files of 2,000+ rows in 8 partitions: rewards and log-probs within
 * 1e-6, shards byte-identical, counters equal; best-of-N on hand-made rewards; strict and lenient
 * handling of a malformed row.
 */
class SparkJobsTest {
    static final int ROWS = 2000;
    static final long ROWS_PER_PARTITION = 250; // 2,000 rows -> 8 partitions
    static SparkSession spark;
    @TempDir static Path dir;

    @BeforeAll
    static void start() {
        spark =
                SparkSession.builder()
                        .master("local[2]")
                        .appName("reward4j-test")
                        .config("spark.ui.enabled", "false")
                        .config("spark.driver.bindAddress", "127.0.0.1")
                        .config("spark.driver.host", "127.0.0.1")
                        .config("spark.sql.shuffle.partitions", "4")
                        .getOrCreate();
    }

    @AfterAll
    static void stop() {
        spark.stop();
        ExecutorResources.closeAll();
    }

    static void assertSameCounters(DataCounters expected, DataCounters actual) {
        assertEquals(expected.summary(), actual.summary());
        assertEquals(expected.droppedAt(), actual.droppedAt());
        assertEquals(expected.invalidAt(), actual.invalidAt());
        assertEquals(expected.skippedAt(), actual.skippedAt());
    }

    static Path tokenizer() {
        return Fixtures.hf("tokenizer");
    }

    @Nested
    class Scoring {
        @Test
        void rewardsAndCountersEqualTheSingleProcessPath() throws Exception {
            Path input = Corpus.scoreRows(dir, ROWS);
            SparkScoring.Spec spec =
                    new SparkScoring.Spec(
                            Fixtures.hf("llama-rm").toString(),
                            tokenizer().toString(),
                            48,
                            "keep-prompt-end",
                            16,
                            false,
                            "cpu");
            SparkScoring.Scored scored =
                    SparkScoring.scoreFiles(
                            spark, List.of(input.toString()), spec, ROWS_PER_PARTITION);
            Path out = dir.resolve("scored");
            scored.rows().write().parquet(out.toString());
            DataCounters sparkCounters = scored.counters().get();
            Dataset<Row> written = spark.read().parquet(out.toString());
            assertEquals(8, scored.rows().rdd().getNumPartitions());

            List<ScoredRow> expected = new ArrayList<>();
            DataCounters counters;
            try (TextEncoder enc = TextEncoder.load(tokenizer());
                    DecoderModel model =
                            ModelSequenceScorer.loadRewardModel(
                                    Fixtures.hf("llama-rm"),
                                    tokenizer(),
                                    ModelOptions.defaults())) {
                CorpusScorer single =
                        new CorpusScorer(
                                enc,
                                spec.policy(),
                                new ModelSequenceScorer(
                                        model, enc.padding(PaddingSide.RIGHT).padId()),
                                16,
                                ReadOptions.defaults());
                counters = single.scoreFiles(List.of(input), expected::add);
            }
            assertSameCounters(counters, sparkCounters);
            assertEquals(1, counters.invalidCount()); // the empty response
            assertTrue(counters.truncatedCount() >= 1, counters.summary());

            Map<String, Row> byId = new HashMap<>();
            for (Row r : written.collectAsList()) {
                byId.put(r.getAs("id"), r);
            }
            assertEquals(expected.size(), byId.size());
            double maxDiff = 0;
            for (ScoredRow e : expected) {
                Row r = byId.get(e.id());
                assertEquals(e.source().file(), r.getAs("source_file"));
                assertEquals(e.source().line(), (long) r.<Long>getAs("source_line"));
                assertEquals(e.prompt(), r.getAs("prompt"));
                assertEquals(e.response(), r.getAs("response"));
                maxDiff = Math.max(maxDiff, Math.abs(e.reward() - r.<Double>getAs("reward")));
            }
            System.out.println("spark score vs single process: max |reward diff| = " + maxDiff);
            assertTrue(maxDiff <= 1e-6, "max reward difference " + maxDiff);

            // `reward4j score` (RewardScorer, the same formatting) gives the same rewards; it
            // rejects the one invalid row, so it scores the file without it
            Path valid = dir.resolve("score-valid.jsonl");
            Files.write(
                    valid,
                    Files.readAllLines(input).stream()
                            .filter(l -> !l.contains("\"id\":\"s13\""))
                            .toList());
            Path cliOut = dir.resolve("score-cli.jsonl");
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int status =
                    Reward4j.run(
                            new String[] {
                                "score",
                                "--model",
                                Fixtures.hf("llama-rm").toString(),
                                "--tokenizer",
                                tokenizer().toString(),
                                "--input",
                                valid.toString(),
                                "--output",
                                cliOut.toString(),
                                "--max-length",
                                "48",
                                "--batch-size",
                                "16"
                            },
                            new PrintStream(new ByteArrayOutputStream(), true),
                            new PrintStream(err, true, StandardCharsets.UTF_8));
            assertEquals(0, status, err.toString(StandardCharsets.UTF_8));
            double cliDiff = 0;
            int n = 0;
            com.fasterxml.jackson.databind.ObjectMapper json =
                    new com.fasterxml.jackson.databind.ObjectMapper();
            for (String line : Files.readAllLines(cliOut)) {
                com.fasterxml.jackson.databind.JsonNode o = json.readTree(line);
                Row r = byId.get(o.get("id").asText());
                cliDiff =
                        Math.max(
                                cliDiff,
                                Math.abs(o.get("reward").asDouble() - r.<Double>getAs("reward")));
                n++;
            }
            assertEquals(expected.size(), n);
            System.out.println("spark score vs reward4j score: max |reward diff| = " + cliDiff);
            assertTrue(cliDiff <= 1e-6, "vs reward4j score " + cliDiff);
        }

        @Test
        void strictModeFailsTheJobNamingFileLineAndField() throws Exception {
            Path bad = malformed("strict.jsonl");
            SparkScoring.Spec spec = spec(false);
            Exception e =
                    assertThrows(
                            Exception.class,
                            () ->
                                    SparkScoring.scoreFiles(
                                                    spark, List.of(bad.toString()), spec, 10)
                                            .rows()
                                            .count());
            String message = fullMessage(e);
            assertTrue(message.contains("data: " + bad + ":7 field 'response': missing"), message);
            // the command reports it as bad input (exit 2) with the same words
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int status =
                    Reward4j.run(
                            new String[] {
                                "spark", "score",
                                "--model", Fixtures.hf("llama-rm").toString(),
                                "--tokenizer", tokenizer().toString(),
                                "--input", bad.toString(),
                                "--output", dir.resolve("strict-out").toString()
                            },
                            new PrintStream(new ByteArrayOutputStream(), true),
                            new PrintStream(err, true, StandardCharsets.UTF_8));
            assertEquals(2, status);
            assertTrue(
                    err.toString(StandardCharsets.UTF_8)
                            .contains("data: " + bad + ":7 field 'response': missing"),
                    err.toString(StandardCharsets.UTF_8));
        }

        @Test
        void lenientModeCountsTheRowAndKeepsAllOthers() throws Exception {
            Path bad = malformed("lenient.jsonl");
            SparkScoring.Scored s =
                    SparkScoring.scoreFiles(spark, List.of(bad.toString()), spec(true), 10);
            List<Row> rows = s.rows().collectAsList();
            DataCounters c = s.counters().get();
            assertEquals(2, c.skippedCount(), c.summary());
            assertTrue(c.skippedAt().get(0).startsWith(bad + ":7 "), c.skippedAt().toString());
            assertTrue(c.skippedAt().get(1).startsWith(bad + ":12 "), c.skippedAt().toString());
            assertEquals(30 - 2, rows.size());
            List<Long> lines =
                    rows.stream().map(r -> r.<Long>getAs("source_line")).sorted().toList();
            List<Long> expected = new ArrayList<>();
            for (long l = 1; l <= 30; l++) {
                if (l != 7 && l != 12) {
                    expected.add(l);
                }
            }
            assertEquals(expected, lines);
        }

        @Test
        void aDatasetScoresAsTheSameRowsInAFile() throws Exception {
            List<Row> rows = new ArrayList<>();
            List<String> lines = new ArrayList<>();
            org.apache.spark.sql.types.StructType message =
                    new org.apache.spark.sql.types.StructType()
                            .add("role", "string")
                            .add("content", "string");
            org.apache.spark.sql.types.StructType schema =
                    new org.apache.spark.sql.types.StructType()
                            .add("id", "string")
                            .add(
                                    "prompt",
                                    org.apache.spark.sql.types.DataTypes.createArrayType(message))
                            .add("response", "string");
            for (int i = 0; i < 24; i++) {
                String user = "the cat " + i;
                String response = " sat on mat " + (i * 7 % 5);
                rows.add(
                        RowFactory.create(
                                "d" + i, new Row[] {RowFactory.create("user", user)}, response));
                lines.add(
                        "{\"id\":\"d"
                                + i
                                + "\",\"prompt\":[{\"role\":\"user\",\"content\":\""
                                + user
                                + "\"}],\"response\":\""
                                + response
                                + "\"}");
            }
            Path file = dir.resolve("dataset-rows.jsonl");
            Files.write(file, lines);
            SparkScoring.Scored fromDataset =
                    SparkScoring.score(spark.createDataFrame(rows, schema), spec(false), 3);
            SparkScoring.Scored fromFile =
                    SparkScoring.scoreFiles(spark, List.of(file.toString()), spec(false), 8);
            Map<String, Double> expected = new HashMap<>();
            for (Row r : fromFile.rows().collectAsList()) {
                expected.put(r.getAs("id"), r.getAs("reward"));
            }
            List<Row> scored = fromDataset.rows().collectAsList();
            assertEquals(24, scored.size());
            for (Row r : scored) {
                assertEquals("<dataset>", r.getAs("source_file"));
                assertEquals(expected.get(r.<String>getAs("id")), r.<Double>getAs("reward"));
            }
            assertEquals(24, fromDataset.counters().get().keptCount());
        }

        @Test
        void theCommandWritesScoresCountersAndBestOfNPairsThatTrainReads() throws Exception {
            Path input = Corpus.scoreRows(Files.createDirectories(dir.resolve("cli")), 40);
            Path scored = dir.resolve("cli-scored");
            Path bon = dir.resolve("cli-bon");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int status =
                    Reward4j.run(
                            new String[] {
                                "spark",
                                "score",
                                "--master",
                                "local[2]",
                                "--model",
                                Fixtures.hf("llama-rm").toString(),
                                "--tokenizer",
                                tokenizer().toString(),
                                "--input",
                                input.toString(),
                                "--output",
                                scored.toString(),
                                "--max-length",
                                "48",
                                "--rows-per-partition",
                                "16",
                                "--best-of-n",
                                bon.toString(),
                                "--pairing",
                                "best-vs-worst"
                            },
                            new PrintStream(out, true, StandardCharsets.UTF_8),
                            new PrintStream(err, true, StandardCharsets.UTF_8));
            assertEquals(0, status, err.toString(StandardCharsets.UTF_8));
            assertTrue(
                    Files.readString(scored.resolve("_reward4j_counters.json"))
                            .contains("\"invalid\" : 1"));
            // 40 rows = 10 prompts of 4 responses (one response empty, left out): 10 pairs
            List<dev.reward4j.core.data.PreferencePair> pairs =
                    dev.reward4j.core.data.DataReader.readAll(
                            bon.resolve("pairs.jsonl"),
                            dev.reward4j.core.data.TrlFormat.standard());
            assertEquals(10, pairs.size());
            assertEquals(
                    2,
                    Reward4j.run(
                            new String[] {"spark", "rank"},
                            System.out,
                            new PrintStream(new ByteArrayOutputStream())));
        }

        private SparkScoring.Spec spec(boolean lenient) {
            return new SparkScoring.Spec(
                    Fixtures.hf("llama-rm").toString(),
                    tokenizer().toString(),
                    48,
                    "keep-prompt-end",
                    8,
                    lenient,
                    "cpu");
        }

        /** 30 rows; line 7 lacks its response, line 12 is not JSON. */
        private Path malformed(String name) throws Exception {
            List<String> lines = new ArrayList<>();
            for (int i = 1; i <= 30; i++) {
                lines.add(
                        i == 7
                                ? "{\"id\":\"r7\",\"prompt\":\"the cat\"}"
                                : i == 12
                                        ? "{\"id\": \"r12\", \"prompt\": "
                                        : "{\"id\":\"r"
                                                + i
                                                + "\",\"prompt\":\"the cat\",\"response\":\" sat"
                                                + " "
                                                + i
                                                + "\"}");
            }
            Path f = dir.resolve(name);
            Files.write(f, lines, StandardCharsets.UTF_8);
            return f;
        }
    }

    static String fullMessage(Throwable e) {
        StringBuilder b = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            b.append(t.getMessage()).append('\n');
        }
        return b.toString();
    }

    @Nested
    class BestOfNSelection {
        /**
         * Two prompts with known rewards; prompt B has a tie at the top and a tie at the bottom.
         */
        private Dataset<Row> scored(boolean uncertainty) {
            Object[][] rows = {
                {0L, "a1", "\"A\"", "\"a-low\"", 0.1, 0.0},
                {1L, "a2", "\"A\"", "\"a-best\"", 2.5, 3.0},
                {2L, "a3", "\"A\"", "\"a-mid\"", 1.0, 0.0},
                {3L, "b1", "\"B\"", "\"b-top-first\"", 5.0, 0.0},
                {4L, "b2", "\"B\"", "\"b-worst\"", -1.0, 0.0},
                {5L, "b3", "\"B\"", "\"b-top-second\"", 5.0, 0.0},
                {6L, "c1", "\"C\"", "\"c-only\"", 9.0, 0.0},
            };
            List<Row> list = new ArrayList<>();
            for (Object[] r : rows) {
                Object[] values = {
                    r[0],
                    "hand.jsonl",
                    (Long) r[0] + 1,
                    r[1],
                    r[2],
                    r[3],
                    r[4],
                    new Double[] {(Double) r[4]}
                };
                list.add(RowFactory.create(values));
            }
            Dataset<Row> d = spark.createDataFrame(list, SparkScoring.SCORED);
            if (uncertainty) {
                List<Row> u = new ArrayList<>();
                for (Object[] r : rows) {
                    u.add(RowFactory.create(r[1], r[5]));
                }
                Dataset<Row> us =
                        spark.createDataFrame(
                                u,
                                new org.apache.spark.sql.types.StructType()
                                        .add("id", "string")
                                        .add("uncertainty", "double"));
                d = d.join(us, "id");
            }
            return d;
        }

        @Test
        void bestVsWorstPicksTheTopAndBottomResponseOfEachPrompt() {
            List<String> pairs =
                    SparkScoring.bestOfN(
                                    scored(false), new BestOfN(BestOfN.Pairing.BEST_VS_WORST, 0))
                            .collectAsList();
            assertEquals(
                    List.of(
                            "{\"id\":\"a2>a1\",\"prompt\":\"A\",\"chosen\":\"a-best\",\"rejected\":\"a-low\",\"chosen_reward\":2.5,\"rejected_reward\":0.1}",
                            "{\"id\":\"b1>b2\",\"prompt\":\"B\",\"chosen\":\"b-top-first\",\"rejected\":\"b-worst\",\"chosen_reward\":5.0,\"rejected_reward\":-1.0}"),
                    pairs);
        }

        @Test
        void bestVsRestPairsTheBestWithEveryLowerResponseAndNeverWithATie() {
            List<String> ids = new ArrayList<>();
            for (String line :
                    SparkScoring.bestOfN(
                                    scored(false), new BestOfN(BestOfN.Pairing.BEST_VS_REST, 0))
                            .collectAsList()) {
                ids.add(line.substring(7, line.indexOf('"', 7)));
            }
            assertEquals(List.of("a2>a1", "a2>a3", "b1>b2"), ids);
        }

        @Test
        void anUncertaintyPenaltyMovesTheChoice() {
            // a2: 2.5 - 1.0 * 3.0 = -0.5 < a3's 1.0 < a1's 0.1? no: a3 1.0 is best, a2 -0.5 worst
            List<String> pairs =
                    SparkScoring.bestOfN(
                                    scored(true), new BestOfN(BestOfN.Pairing.BEST_VS_WORST, 1.0))
                            .collectAsList();
            assertTrue(pairs.get(0).startsWith("{\"id\":\"a3>a2\""), pairs.toString());
        }
    }

    static String yaml(Path train, Path eval, Path cache) {
        return String.join(
                "\n",
                "model: {path: "
                        + Fixtures.hf("llama-lm")
                        + ", tokenizer: "
                        + tokenizer()
                        + ", reference_cache: "
                        + cache
                        + "}",
                "data: {train: "
                        + train
                        + (eval == null ? "" : ", eval: " + eval)
                        + ", max_length: 40, batch_size: 4, eval_batch_size: 8}",
                "objective: {type: dpo, beta: 0.1}",
                "optim: {lr: 1.0e-3}",
                "train: {max_steps: 1, output_dir: "
                        + dir.resolve("dpo-" + cache.getFileName())
                        + "}",
                "checkpoint: {every: 0, resume: false}",
                "");
    }

    static RunConfig config(Path yaml) {
        return new ConfigLoader(StandardObjectives.catalog()).load(yaml, List.of());
    }

    @Nested
    class Reference {
        @Test
        void theCacheEqualsTheSingleProcessPathAndTrainUsesIt() throws Exception {
            Path train = Corpus.pairs(dir, "ref-train.jsonl", "t", ROWS);
            Path eval = Corpus.pairs(dir, "ref-eval.jsonl", "e", 40);
            Path cacheDir = dir.resolve("ref-cache");
            Path yaml = dir.resolve("ref.yaml");
            Files.writeString(yaml, yaml(train, eval, cacheDir));
            RunConfig cfg = config(yaml);

            SparkReference.Result result =
                    SparkReference.run(
                            spark, cfg, ROWS_PER_PARTITION, dir.resolve("ref-table").toString());
            String digest = ReferenceCache.digestOf(Fixtures.hf("llama-lm"));
            ReferenceCache cache = ReferenceCache.open(Path.of(result.cacheFile()), digest);

            // the single-process path over the same rows
            List<ReferenceLogps> expected = new ArrayList<>();
            DataCounters counters;
            try (TextEncoder enc = TextEncoder.load(tokenizer());
                    DecoderModel ref =
                            DecoderModel.load(
                                    Fixtures.hf("llama-lm"),
                                    ModelHead.LM,
                                    ModelOptions.defaults())) {
                CorpusReference single =
                        new CorpusReference(
                                new CorpusPreparation(
                                        enc,
                                        cfg.data().truncationPolicy(),
                                        cfg.dataFormat().pairs(),
                                        ReadOptions.defaults()),
                                new FrozenReference(ref),
                                new PairCollator(enc.padding(PaddingSide.RIGHT)),
                                8);
                counters = single.computeFiles(List.of(train), expected::add);
                single.computeFiles(List.of(eval), expected::add);
                // train's own tokenization finds every pair, unchanged
                Prepared<TokenizedPair> prepared =
                        DataPipeline.pairs(
                                train,
                                cfg.dataFormat().pairs(),
                                enc,
                                cfg.data().truncationPolicy(),
                                ReadOptions.defaults());
                assertTrue(prepared.examples().stream().allMatch(p -> cache.contains(p.id())));
                assertEquals(List.of(), cache.changed(prepared.examples()));
                // train's own in-process computation (consecutive batches over all pairs; here the
                // first 512): the same numbers up to the float32 rounding of the summed log-probs
                List<TokenizedPair> head = prepared.examples().subList(0, 512);
                try (ai.djl.ndarray.NDManager m = ref.manager().newSubManager()) {
                    ReferenceCache own =
                            ReferenceCache.build(
                                    dir.resolve("own-cache.bin"),
                                    digest,
                                    new FrozenReference(ref),
                                    new dev.reward4j.trainers.run.CollatedSource<>(
                                            head,
                                            dev.reward4j.core.data.Sampler.sequential(),
                                            8,
                                            new PairCollator(enc.padding(PaddingSide.RIGHT))
                                                    ::collate),
                                    head.size(),
                                    m);
                    double trainDiff = 0;
                    for (TokenizedPair p : head) {
                        ReferenceCache.CachedPair a = own.get(p.id()).orElseThrow();
                        ReferenceCache.CachedPair b = cache.get(p.id()).orElseThrow();
                        trainDiff = Math.max(trainDiff, Math.abs(a.chosen() - b.chosen()));
                        trainDiff = Math.max(trainDiff, Math.abs(a.rejected() - b.rejected()));
                    }
                    System.out.println(
                            "spark reference vs train's own cache build: max |log-prob diff| = "
                                    + trainDiff);
                    assertTrue(trainDiff <= 1e-4, "vs train's own cache " + trainDiff);
                }
            }
            assertSameCounters(counters, result.train());
            assertEquals(expected.size(), cache.size());
            assertEquals(expected.size(), result.pairs());
            double maxDiff = 0;
            for (ReferenceLogps e : expected) {
                ReferenceCache.CachedPair c = cache.get(e.id()).orElseThrow();
                assertEquals(e.tokenDigest(), c.tokenDigest());
                maxDiff = Math.max(maxDiff, Math.abs(e.chosen() - c.chosen()));
                maxDiff = Math.max(maxDiff, Math.abs(e.rejected() - c.rejected()));
            }
            System.out.println(
                    "spark reference vs single process: max |log-prob diff| = " + maxDiff);
            assertTrue(maxDiff <= 1e-6, "max log-prob difference " + maxDiff);
            Dataset<Row> table = spark.read().parquet(dir.resolve("ref-table").toString());
            assertEquals(expected.size(), table.count());

            // a policy run reads the cache instead of computing the reference log-probs
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int status =
                    Reward4j.run(
                            new String[] {"train", "--config", yaml.toString()},
                            new PrintStream(out, true, StandardCharsets.UTF_8),
                            new PrintStream(err, true, StandardCharsets.UTF_8));
            String log = err.toString(StandardCharsets.UTF_8); // progress and log lines
            assertEquals(0, status, log);
            assertTrue(
                    log.contains("reward4j: reference log-probs from " + result.cacheFile()), log);
            assertTrue(!log.contains("computing reference log-probs"), log);
        }
    }

    @Nested
    class Preparation {
        @Test
        void shardsAreByteIdenticalToTheSingleProcessPathWithEqualCounters() throws Exception {
            Path train = Corpus.pairs(dir, "prep-train.jsonl", "p", ROWS);
            Path yaml = dir.resolve("prep.yaml");
            Files.writeString(yaml, yaml(train, null, dir.resolve("unused-cache")));
            RunConfig cfg = config(yaml);
            for (int packLength : new int[] {0, 160}) {
                Path sparkOut = dir.resolve("shards-spark-" + packLength);
                ShardManifest m =
                        SparkPreparation.run(
                                spark, cfg, sparkOut.toString(), ROWS_PER_PARTITION, packLength);
                assertEquals(8, m.shards().size());

                Path singleOut = dir.resolve("shards-single-" + packLength);
                List<CorpusPreparation.ShardResult> results;
                try (TextEncoder enc = TextEncoder.load(tokenizer())) {
                    CorpusPreparation prep =
                            new CorpusPreparation(
                                    enc,
                                    cfg.data().truncationPolicy(),
                                    cfg.dataFormat().pairs(),
                                    ReadOptions.defaults());
                    results =
                            prep.prepareFiles(
                                    List.of(train), singleOut, ROWS_PER_PARTITION, packLength);
                    ShardManifest single =
                            ShardManifest.of(
                                    List.of(train.toString()),
                                    cfg.dataFormat().key(),
                                    cfg.data().truncationPolicy().toString(),
                                    SparkPreparation.tokenizerFacts(tokenizer().toString()),
                                    ROWS_PER_PARTITION,
                                    packLength,
                                    results);
                    assertEquals(
                            single.toJson(), Files.readString(sparkOut.resolve("manifest.json")));

                    // the shards hold exactly what train's pipeline tokenizes
                    Prepared<TokenizedPair> prepared =
                            DataPipeline.pairs(
                                    train,
                                    cfg.dataFormat().pairs(),
                                    enc,
                                    cfg.data().truncationPolicy(),
                                    ReadOptions.defaults());
                    List<TokenizedPair> read = new ArrayList<>();
                    for (Path shard : m.files(sparkOut)) {
                        TokenizedShards.read(shard).forEachRemaining(read::add);
                    }
                    assertEquals(prepared.examples(), read);
                    assertSameCounters(prepared.counters(), m.dataCounters());
                }
                for (int k = 0; k < 8; k++) {
                    String name = TokenizedShards.shardName(k);
                    assertArrayEquals(
                            Files.readAllBytes(singleOut.resolve(name)),
                            Files.readAllBytes(sparkOut.resolve(name)),
                            name + " (pack length " + packLength + ")");
                }
            }
            // train reads the directory as data.train (reward-model pairs, one step)
            Path shards = dir.resolve("shards-spark-0");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            Path rm = dir.resolve("rm.yaml");
            Files.writeString(rm, rmYaml(shards, 40));
            int status =
                    Reward4j.run(
                            new String[] {"train", "--config", rm.toString()},
                            new PrintStream(out, true, StandardCharsets.UTF_8),
                            new PrintStream(err, true, StandardCharsets.UTF_8));
            assertEquals(0, status, err.toString(StandardCharsets.UTF_8));
            assertTrue(
                    err.toString(StandardCharsets.UTF_8).contains(shards + ": read=" + ROWS),
                    err.toString(StandardCharsets.UTF_8));
            // ... and refuses shards made with other settings
            Files.writeString(rm, rmYaml(shards, 32));
            ByteArrayOutputStream err2 = new ByteArrayOutputStream();
            status =
                    Reward4j.run(
                            new String[] {"train", "--config", rm.toString()},
                            new PrintStream(new ByteArrayOutputStream(), true),
                            new PrintStream(err2, true, StandardCharsets.UTF_8));
            assertEquals(2, status);
            assertTrue(
                    err2.toString(StandardCharsets.UTF_8)
                            .contains(
                                    "reward4j train: data.train: the tokenized shards in "
                                            + shards
                                            + " were made with data.max_length / data.truncation"),
                    err2.toString(StandardCharsets.UTF_8));
        }

        private String rmYaml(Path shards, int maxLength) {
            return String.join(
                    "\n",
                    "model: {path: "
                            + Fixtures.hf("llama-rm")
                            + ", tokenizer: "
                            + tokenizer()
                            + "}",
                    "data: {train: " + shards + ", max_length: " + maxLength + ", batch_size: 4}",
                    "objective: {type: bt}",
                    "optim: {lr: 1.0e-3}",
                    "train: {max_steps: 1, output_dir: " + dir.resolve("rm-" + maxLength) + "}",
                    "checkpoint: {every: 0, resume: false}",
                    "");
        }
    }
}
