package dev.reward4j.trainers.app.launcher;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reward4j.core.data.DataReader;
import dev.reward4j.core.data.Format;
import dev.reward4j.core.data.ReadOptions;
import dev.reward4j.core.data.RecordStream;
import dev.reward4j.core.data.Source;
import dev.reward4j.core.model.DecoderModel;
import dev.reward4j.core.model.ModelHead;
import dev.reward4j.core.model.ModelOptions;
import dev.reward4j.core.text.TextEncoder;
import dev.reward4j.trainers.RewardScorer;
import dev.reward4j.trainers.ScoreInput;
import dev.reward4j.trainers.app.demo.DemoJob;
import dev.reward4j.trainers.app.report.HtmlReport;
import dev.reward4j.trainers.app.report.ReportInput;
import dev.reward4j.trainers.config.ConfigException;
import dev.reward4j.trainers.config.ConfigLoader;
import dev.reward4j.trainers.config.DataFormat;
import dev.reward4j.trainers.config.DataSection;
import dev.reward4j.trainers.config.ExampleKind;
import dev.reward4j.trainers.config.RunConfig;
import dev.reward4j.trainers.config.StandardObjectives;
import dev.reward4j.trainers.device.CudaProbeLog;
import dev.reward4j.trainers.device.DeviceSpec;
import dev.reward4j.trainers.device.Doctor;
import dev.reward4j.trainers.device.DoctorReport;
import dev.reward4j.trainers.eval.HeldOutPairs;
import dev.reward4j.trainers.eval.ImplicitReward;
import dev.reward4j.trainers.eval.ModelTextScorer;
import dev.reward4j.trainers.eval.PolicyTextScorer;
import dev.reward4j.trainers.eval.RewardBenchEvaluator;
import dev.reward4j.trainers.eval.RewardBenchRun;
import dev.reward4j.trainers.eval.RewardModels;
import dev.reward4j.trainers.eval.TextScorer;
import dev.reward4j.trainers.loop.NonFiniteException;
import dev.reward4j.trainers.metrics.ConsoleProgressSink;
import dev.reward4j.trainers.metrics.ProgressMode;
import dev.reward4j.trainers.optim.Gradients;
import dev.reward4j.trainers.run.RunResult;
import dev.reward4j.trainers.run.TrainRun;
import java.io.BufferedWriter;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Command-line entry point.
 *
 * <pre>
 * reward4j demo  [--out DIR] [--device cpu|gpu|gpu:N|auto] [--seed N] [--steps N] [--tiny]
 * reward4j train --config run.yaml [--set key.path=value]... [--device cpu|gpu|gpu:N|auto]
 * reward4j eval  --model DIR --data FILE [--format auto|trl|hh-rlhf|...] [--output DIR] [--batch-size 16] [--max-length N]
 *                [--truncation keep-prompt-end|keep-end|drop] [--tokenizer DIR] [--reference DIR] [--device ...]
 * reward4j score --model DIR --input rows.jsonl --output scored.jsonl [--batch-size 16] [--max-length 512]
 *                [--truncation keep-prompt-end|keep-end|drop] [--tokenizer DIR] [--reference DIR] [--device ...]
 * reward4j spark score|reference|prepare ...   (the Spark jobs, with Spark on the class path: see SparkCommand)
 * </pre>
 *
 * <p>{@code eval} has two paths. Without {@code --format} (or with {@code --format auto}), a file
 * whose first row has a {@code subset} field is read as the RewardBench-compatible JSONL of {@code
 * dev.reward4j.trainers.eval.BenchmarkReader} (v1 pairs or v2 best-of-N) and scored with the
 * RewardBench rules into {@code rewardbench-scores.jsonl} and {@code rewardbench-result.json}
 * ({@code --max-length} defaults to 2048, left truncation; {@code --truncation} is an error). Any
 * other file is a held-out preference file read with the pair format of {@code --format} (a {@code
 * data.format} name that reads pairs: {@code trl} (the default), {@code hh-rlhf}, {@code
 * hh-rlhf-chat}, {@code ultrafeedback-binarized}, {@code ultrafeedback-pairs}, {@code
 * ultrafeedback-best-vs-rest}, {@code helpsteer2-preference}) and evaluated exactly as {@code
 * train} evaluates {@code data.eval} (see {@code HeldOutEval}): tokenized by the training pipeline
 * (plain text stays plain, conversations use the chat template; {@code --max-length} and {@code
 * --truncation} mean {@code data.max_length} (default 512) and {@code data.truncation} (default
 * {@code keep-prompt-end})), right-padded by the pair collator and scored by the training rewards,
 * so on the file used as {@code data.eval} the metrics equal the final {@code eval} record of
 * {@code metrics.jsonl}. {@code dev.reward4j.trainers.eval.HeldOutPairs} writes {@code
 * heldout-scores.jsonl} (id, source, chosen, rejected, correct) and {@code heldout-result.json}
 * (accuracy, preference NLL, reward and margin statistics, ECE, the tokenizer's data counters read,
 * pairs, scored, truncated, dropped, invalid, skipped, and the run record with the tokenizer
 * digest, template use, truncation policy and batch size) into {@code --output}.
 *
 * <p>{@code score} reads rows with {@code prompt} and {@code response} (or {@code completion}),
 * each a string or a list of {@code {role, content}} messages, and writes every row back with a
 * {@code reward} field. It scores through {@code dev.reward4j.trainers.RewardScorer}, so with the
 * formatting of {@code train} and {@code eval} (plain text stays plain, conversations use the chat
 * template; {@code --max-length} and {@code --truncation} mean {@code data.max_length} and {@code
 * data.truncation}, same defaults). The tokenizer defaults to the model directory. With {@code
 * --reference DIR} the model is a DPO-family policy and the reward is the implicit reward {@code
 * log pi(y|x) - log pi_ref(y|x)} (RewardBench {@code dpo.py}). The RewardBench path of {@code eval}
 * uses {@code dev.reward4j.trainers.eval.ModelTextScorer} / {@code PolicyTextScorer} (RewardBench's
 * encoding: chat template when the tokenizer has one, left truncation, right padding).
 *
 * <p>Each command accepts only its own options (listed in its usage line); an unknown one is a
 * usage error listing them.
 *
 * <p>Exit codes: 0 success, 1 unexpected error, 2 usage or configuration error (reported before any
 * training), 3 non-finite loss or gradient (the last good checkpoint is left untouched), 4 {@code
 * doctor}: the device cannot train.
 */
public final class Reward4j {
    private Reward4j() {}

    /** Runs a command and exits with its status. */
    public static void main(String[] args) {
        // quiet engine INFO lines unless the user asked for a level (must happen before the first
        // logger is created)
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
        System.exit(run(args, System.out, System.err));
    }

    /** Runs a command; returns the exit status. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        try {
            if (args.length == 0) {
                throw new ConfigException(usage());
            }
            if (args[0].equals("spark")) {
                return dev.reward4j.trainers.app.spark.SparkEntry.run(
                        java.util.Arrays.copyOfRange(args, 1, args.length), out, err);
            }
            if (args[0].equals("demo")) {
                return DemoJob.run(java.util.Arrays.copyOfRange(args, 1, args.length), out, err);
            }
            List<String> accepted = OPTIONS.get(args[0]);
            if (accepted == null) {
                throw new ConfigException(
                        "reward4j: unknown command '"
                                + args[0]
                                + "'; expected train, eval, score, spark, demo or doctor\n"
                                + usage());
            }
            Options o = Options.parse(args, accepted);
            if (!args[0].equals("train")) { // train reads its device from the config (see train)
                CudaProbeLog.quietForCpu(o.valueOr("device", "cpu"));
            }
            switch (args[0]) {
                case "train" -> train(o, out);
                case "eval" -> eval(o, out);
                case "doctor" -> {
                    // the command's logic is dev.reward4j.trainers.device.Doctor
                    DoctorReport report = Doctor.examine(o.valueOr("device", "auto"));
                    out.print(report.render());
                    return report.exitCode();
                }
                default -> score(o, out);
            }
            return 0;
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            return 2;
        } catch (NonFiniteException e) {
            err.println(e.getMessage());
            return 3;
        } catch (Exception e) {
            err.println("reward4j: " + e);
            e.printStackTrace(err);
            return 1;
        }
    }

    /** The options each command accepts ({@code demo} parses its own). */
    static final Map<String, List<String>> OPTIONS =
            Map.of(
                    "train", List.of("config", "set", "device"),
                    "doctor", List.of("device"),
                    "eval",
                            List.of(
                                    "model",
                                    "data",
                                    "format",
                                    "output",
                                    "batch-size",
                                    "max-length",
                                    "truncation",
                                    "tokenizer",
                                    "reference",
                                    "device"),
                    "score",
                            List.of(
                                    "model",
                                    "input",
                                    "output",
                                    "batch-size",
                                    "max-length",
                                    "truncation",
                                    "tokenizer",
                                    "reference",
                                    "device"));

    /**
     * The {@code --format} values of {@code eval}: {@code auto} and the {@code data.format} names
     * that read pairs.
     */
    static final List<String> PAIR_FORMATS = DataFormat.keys(ExampleKind.PAIRS);

    static String usage() {
        return String.join(
                "\n",
                "usage: reward4j demo  [--out DIR] [--device D] [--seed N] [--steps N] [--tasks"
                        + " LIST] [--tiny]   (the main job: see README)",
                "       reward4j train --config run.yaml [--set key.path=value]... [--device"
                        + " cpu|gpu|gpu:N|auto]",
                "       reward4j eval  --model DIR --data FILE [--format auto|"
                        + String.join("|", PAIR_FORMATS.subList(1, PAIR_FORMATS.size()))
                        + "] [--output DIR] [--batch-size N] [--max-length N] [--truncation"
                        + " keep-prompt-end|keep-end|drop]",
                "                      [--tokenizer DIR] [--reference DIR] [--device D]",
                "                      (FILE: RewardBench rows with id and subset, scored the"
                        + " RewardBench way, --max-length default 2048,",
                "                      or held-out preference pairs, default format trl, tokenized"
                        + " and scored as train evaluates",
                "                      data.eval: --max-length and --truncation as data.max_length"
                        + " (default 512) and data.truncation)",
                "       reward4j score --model DIR --input rows.jsonl --output scored.jsonl"
                        + " [--batch-size N] [--max-length N] [--truncation T] [--tokenizer DIR]"
                        + " [--reference DIR] [--device D]",
                "                      (formatted and truncated as train: --max-length and"
                        + " --truncation as data.max_length (default 512) and data.truncation)",
                "       reward4j doctor [--device cpu|gpu|gpu:N|auto]   (node check: versions,"
                        + " devices, dtypes, a timed Llama block; exit "
                        + DoctorReport.CANNOT_TRAIN
                        + " when the device cannot train)",
                "       reward4j spark score|reference|prepare ...   (Spark jobs, under"
                        + " spark-submit: see README, Scale out with Spark)");
    }

    private static void train(Options o, PrintStream out) throws Exception {
        List<String> overrides = new ArrayList<>(o.sets);
        if (o.value("device") != null) {
            overrides.add("train.device=" + o.value("device"));
        }
        ConfigLoader loader = new ConfigLoader(StandardObjectives.catalog());
        RunConfig cfg = loader.load(Path.of(o.required("config")), overrides);
        CudaProbeLog.quietForCpu(cfg.train().device());
        ObjectNode resolved = loader.toTree(cfg);
        RunResult result;
        try (TrainRun run =
                new TrainRun(
                        cfg,
                        resolved,
                        out,
                        ConsoleProgressSink.create(
                                "train", cfg.train().maxSteps(), ProgressMode.auto()))) {
            result = run.run();
        }
        out.println(result.summary().render());
        Path report =
                HtmlReport.write(
                                result.runDir().resolve("report"),
                                ReportInput.fromMetricsFile(
                                                "reward4j train: "
                                                        + cfg.objective().type()
                                                        + " on "
                                                        + cfg.model().path(),
                                                result.metricsFile())
                                        .withSummary(result.summary()))
                        .html();
        out.println("reward4j: report " + report);
        out.println(
                "reward4j: trained "
                        + result.loop().steps()
                        + " steps in "
                        + String.format("%.1f", result.loop().seconds())
                        + " s; final model in "
                        + result.modelDir());
        if (!result.finalEval().isEmpty()) {
            out.println("reward4j: eval " + result.finalEval());
        }
    }

    static ModelOptions modelOptions(Options o) {
        return ModelOptions.defaults().withDevice(DeviceSpec.resolve(o.valueOr("device", "cpu")));
    }

    /** The tokenizer directory: {@code --tokenizer}, else {@code --model}. */
    static Path tokenizerDir(Options o) {
        return Path.of(o.valueOr("tokenizer", o.required("model")));
    }

    /**
     * A scorer and its run-record facts (asked for after scoring, so the truncated count is final).
     */
    private record Scoring(TextScorer scorer, Supplier<Map<String, String>> info) {}

    /**
     * The RewardBench scorer: a reward model, or a DPO implicit-reward scorer when {@code
     * --reference} is given (RewardBench's encoding: chat template, left truncation).
     */
    private static Scoring scorer(Options o, List<AutoCloseable> open) {
        Path model = Path.of(o.required("model"));
        TextEncoder encoder = TextEncoder.load(tokenizerDir(o));
        open.add(encoder);
        int maxLength = o.intOr("max-length", RewardBenchEvaluator.DEFAULT_MAX_LENGTH);
        if (o.value("reference") == null) {
            DecoderModel m = RewardModels.load(model, tokenizerDir(o), modelOptions(o));
            open.add(m);
            ModelTextScorer s = new ModelTextScorer(encoder, m::scores, m.manager(), maxLength, 0);
            String pooling = RewardModels.poolingFact(m);
            return new Scoring(
                    s,
                    () -> {
                        Map<String, String> info = new LinkedHashMap<>(s.runInfo());
                        info.put("pooling", pooling);
                        return info;
                    });
        }
        DecoderModel policy = DecoderModel.load(model, ModelHead.LM, modelOptions(o));
        open.add(policy);
        DecoderModel reference =
                DecoderModel.load(Path.of(o.value("reference")), ModelHead.LM, modelOptions(o));
        open.add(reference);
        PolicyTextScorer s =
                new PolicyTextScorer(
                        encoder,
                        policy::tokenLogps,
                        reference::tokenLogps,
                        new ImplicitReward.LogRatio(),
                        policy.manager(),
                        maxLength);
        return new Scoring(s, s::runInfo);
    }

    private static void eval(Options o, PrintStream out) throws Exception {
        Path model = Path.of(o.required("model"));
        DataFormat format = pairFormat(o.valueOr("format", DataFormat.AUTO.key()));
        Path data = Path.of(o.required("data"));
        int batchSize = o.intOr("batch-size", DataSection.defaults().evalBatchSize());
        Path dir = Path.of(o.valueOr("output", "eval-" + model.getFileName()));
        if (format != DataFormat.AUTO || !HeldOutPairs.looksLikeRewardBench(data)) {
            HeldOutEval.run(
                    o,
                    format == DataFormat.AUTO ? DataFormat.usual(ExampleKind.PAIRS) : format,
                    data,
                    batchSize,
                    dir,
                    out);
            return;
        }
        if (o.value("truncation") != null) {
            throw new ConfigException(
                    "reward4j eval: --truncation applies to held-out pairs (got a RewardBench file "
                            + data
                            + "); expected no --truncation: RewardBench rows are cut from the left"
                            + " to --max-length");
        }
        List<AutoCloseable> open = new ArrayList<>();
        try {
            Scoring scoring = Gradients.withGradModeOff(() -> scorer(o, open));
            Map<String, String> info = new LinkedHashMap<>();
            info.put("model", model.toAbsolutePath().toString());
            info.put(
                    "reward",
                    o.value("reference") == null
                            ? "score head"
                            : "log-ratio vs " + o.value("reference"));
            info.put("dtype", "float32");
            info.put(
                    "truncation",
                    "left " + o.intOr("max-length", RewardBenchEvaluator.DEFAULT_MAX_LENGTH));
            RewardBenchRun scored =
                    Gradients.withGradModeOff(
                            () ->
                                    RewardBenchEvaluator.evaluate(
                                            data, scoring.scorer(), batchSize, info));
            Map<String, String> record = new LinkedHashMap<>(scored.runInfo());
            record.putAll(scoring.info().get());
            RewardBenchRun run =
                    new RewardBenchRun(scored.version(), scored.rows(), scored.result(), record);
            run.write(dir);
            out.println(
                    "reward4j: "
                            + run.version()
                            + " overall "
                            + String.format("%.4f", run.result().overall())
                            + " ("
                            + run.rows().size()
                            + " rows); results in "
                            + dir);
        } finally {
            closeAll(open);
        }
    }

    /**
     * Parses {@code eval --format}: {@code auto} or a {@code data.format} name that reads
     * preference pairs.
     */
    static DataFormat pairFormat(String key) {
        if (!PAIR_FORMATS.contains(key)) {
            throw new ConfigException(
                    "reward4j eval: --format is not a preference-pair format (got '"
                            + key
                            + "'); expected "
                            + "one of "
                            + PAIR_FORMATS
                            + ". auto scores RewardBench rows (with id and subset) by the"
                            + " RewardBench rules and any other file as trl pairs");
        }
        return DataFormat.parse(key);
    }

    /**
     * {@code score}: every row of {@code --input} (JSONL, gzip or Parquet, read as training reads
     * data) with a {@code reward} field added, scored by {@link RewardScorer}, so with exactly the
     * formatting of {@code train} and {@code eval}.
     */
    private static void score(Options o, PrintStream out) throws Exception {
        Path input = Path.of(o.required("input"));
        Path output = Path.of(o.required("output"));
        DataSection data = DataSection.defaults();
        RewardScorer.Builder builder =
                RewardScorer.builder(Path.of(o.required("model")))
                        .tokenizer(tokenizerDir(o))
                        .device(o.valueOr("device", "cpu"))
                        .batchSize(o.intOr("batch-size", data.evalBatchSize()))
                        .maxLength(o.intOr("max-length", data.maxLength()))
                        .truncation(o.valueOr("truncation", data.truncation()));
        if (o.value("reference") != null) {
            builder.reference(Path.of(o.value("reference")));
        }
        ObjectMapper json = new ObjectMapper();
        long rows = 0;
        try (RecordStream<ScoreRow> in =
                        DataReader.open(input, SCORE_ROWS, ReadOptions.defaults());
                RewardScorer scorer = builder.build();
                BufferedWriter writer = Files.newBufferedWriter(output)) {
            List<ScoreRow> pending = new ArrayList<>();
            while (in.hasNext()) {
                pending.add(in.next());
                if (pending.size() == o.intOr("batch-size", data.evalBatchSize())) {
                    rows += flush(scorer, pending, writer, json);
                }
            }
            rows += flush(scorer, pending, writer, json);
        }
        out.println("reward4j: scored " + rows + " rows into " + output);
    }

    /** A row of {@code score --input}: the row as read, its input and where it came from. */
    private record ScoreRow(ObjectNode json, ScoreInput input, Source source) {}

    /**
     * {@code prompt} (string or messages) and {@code response} (or {@code completion}; string or
     * messages), read as the training formats read text fields.
     */
    private static final Format<ScoreRow> SCORE_ROWS =
            (row, out) -> {
                String field =
                        row.has("response") || !row.has("completion") ? "response" : "completion";
                if (!row.has(field)) {
                    throw row.error(
                            "response",
                            "is missing",
                            "a string or a list of {role, content} messages (or 'completion')");
                }
                out.accept(
                        new ScoreRow(
                                (ObjectNode) row.json(),
                                new ScoreInput(row.text("prompt"), row.text(field)),
                                row.source()));
            };

    private static int flush(
            RewardScorer scorer, List<ScoreRow> pending, BufferedWriter w, ObjectMapper json)
            throws java.io.IOException {
        if (pending.isEmpty()) {
            return 0;
        }
        double[] r =
                scorer.score(
                        pending.stream().map(ScoreRow::input).toList(),
                        pending.stream().map(ScoreRow::source).toList());
        for (int i = 0; i < r.length; i++) {
            w.write(json.writeValueAsString(pending.get(i).json().put("reward", r[i])));
            w.newLine();
        }
        int n = pending.size();
        pending.clear();
        return n;
    }

    private static void closeAll(List<AutoCloseable> open) throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    /** Parsed {@code --key value} options; {@code --set} may repeat. */
    static final class Options {
        final Map<String, String> values = new LinkedHashMap<>();
        final List<String> sets = new ArrayList<>();

        /**
         * Parses the options after the command {@code args[0]}; an option outside {@code accepted}
         * is an error.
         */
        static Options parse(String[] args, List<String> accepted) {
            Options o = new Options();
            for (int i = 1; i < args.length; i++) {
                String a = args[i];
                if (!a.startsWith("--") || i + 1 >= args.length) {
                    throw new ConfigException(
                            "reward4j: expected --option value pairs (got '"
                                    + a
                                    + "')\n"
                                    + usage());
                }
                String key = a.substring(2);
                if (!accepted.contains(key)) {
                    throw new ConfigException(
                            "reward4j "
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
                throw new ConfigException("reward4j: --" + key + " is required\n" + usage());
            }
            return v;
        }

        int intOr(String key, int fallback) {
            String v = values.get(key);
            try {
                return v == null ? fallback : Integer.parseInt(v);
            } catch (NumberFormatException e) {
                throw new ConfigException("--" + key + ": expected an integer (got '" + v + "')");
            }
        }
    }
}
