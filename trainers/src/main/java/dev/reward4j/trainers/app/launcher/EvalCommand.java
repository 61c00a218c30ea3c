package dev.reward4j.trainers.app.launcher;

import dev.reward4j.core.heads.HeadLayout;
import dev.reward4j.core.heads.RewardEnsemble;
import dev.reward4j.core.model.DecoderModel;
import dev.reward4j.core.model.ModelHead;
import dev.reward4j.core.text.TextEncoder;
import dev.reward4j.trainers.RewardScorer;
import dev.reward4j.trainers.config.ConfigException;
import dev.reward4j.trainers.config.DataFormat;
import dev.reward4j.trainers.config.DataSection;
import dev.reward4j.trainers.config.ExampleKind;
import dev.reward4j.trainers.device.CudaProbeLog;
import dev.reward4j.trainers.eval.HeldOutPairs;
import dev.reward4j.trainers.eval.HeldOutRun;
import dev.reward4j.trainers.eval.ImplicitReward;
import dev.reward4j.trainers.eval.ModelTextScorer;
import dev.reward4j.trainers.eval.PolicyTextScorer;
import dev.reward4j.trainers.eval.RewardBenchEvaluator;
import dev.reward4j.trainers.eval.RewardBenchRun;
import dev.reward4j.trainers.eval.RewardModels;
import dev.reward4j.trainers.eval.TextScorer;
import dev.reward4j.trainers.metrics.SummaryFile;
import dev.reward4j.trainers.optim.Gradients;
import dev.reward4j.trainers.run.RunDirectory;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code reward4j eval}: a held-out preference file scored as training scores {@code data.eval}
 * ({@link HeldOutEval}), or a RewardBench-compatible file (rows with {@code id} and {@code subset})
 * scored by the RewardBench rules. The results and a {@code summary.json} of the common schema go
 * next to the evaluated model ({@code <model's parent>/eval-<model>-<data>}) unless {@code
 * --output} says otherwise; the metrics are printed on standard output.
 */
@Command(
        name = "eval",
        mixinStandardHelpOptions = true,
        versionProvider = Reward4j.Version.class,
        description = {
            "Evaluate a reward model (or, with --reference, a DPO-family policy) on a held-out"
                    + " preference file or a RewardBench-compatible file.",
            "Held-out pairs are read, tokenized, truncated and scored exactly as train evaluates"
                    + " data.eval; RewardBench rows (with id and subset) are scored by the"
                    + " RewardBench rules (left truncation)."
        })
final class EvalCommand implements Callable<Integer> {
    @ParentCommand Reward4j root;

    @Option(
            names = "--model",
            required = true,
            paramLabel = "DIR",
            description = "Model directory.")
    Path model;

    @Option(
            names = "--data",
            required = true,
            paramLabel = "FILE",
            description = "File to evaluate.")
    Path data;

    @Option(
            names = "--format",
            paramLabel = "FORMAT",
            defaultValue = "auto",
            description =
                    "auto (RewardBench rows by the RewardBench rules, any other file as trl pairs)"
                            + " or a pair format: ${COMPLETION-CANDIDATES}.",
            completionCandidates = PairFormats.class)
    String format;

    @Option(
            names = "--output",
            paramLabel = "DIR",
            description =
                    "Results directory (default: eval-<model>-<data> next to the model"
                            + " directory).")
    Path output;

    @Option(
            names = "--batch-size",
            paramLabel = "N",
            description = "Pairs or rows per forward batch (default: data.eval_batch_size, 16).")
    Integer batchSize;

    @Option(
            names = "--max-length",
            paramLabel = "N",
            description =
                    "Tokens per sequence (held-out pairs: data.max_length, default 512;"
                            + " RewardBench: 2048); at most the model's max_position_embeddings, to"
                            + " which the default is capped.")
    Integer maxLength;

    @Option(
            names = "--truncation",
            paramLabel = "POLICY",
            description =
                    "Held-out pairs only: keep-prompt-end (default), keep-end or drop"
                            + " (data.truncation).")
    String truncation;

    @Option(
            names = "--tokenizer",
            paramLabel = "DIR",
            description = "Tokenizer directory (default: --model).")
    Path tokenizer;

    @Option(
            names = "--reference",
            paramLabel = "DIR",
            description =
                    "Reference model: --model is then a policy scored by its implicit reward"
                            + " log pi(y|x) - log pi_ref(y|x).")
    Path reference;

    @Option(
            names = "--step-aggregation",
            paramLabel = "HOW",
            defaultValue = "min",
            description =
                    "Process reward models: how a solution's step rewards combine: min, last or"
                            + " product (default ${DEFAULT-VALUE}).")
    String stepAggregation;

    @Option(
            names = "--aggregate",
            paramLabel = "HOW",
            defaultValue = "mean",
            description =
                    "Ensembles: how the members combine into the reward: mean, median, min or"
                            + " mean-std(<lambda>) (default ${DEFAULT-VALUE}).")
    String aggregate;

    @Option(
            names = "--device",
            paramLabel = "DEVICE",
            defaultValue = "cpu",
            description = "cpu, gpu, gpu:N or auto (default ${DEFAULT-VALUE}).")
    String device;

    /** The {@code --format} values: {@code auto} and the pair formats. */
    static final class PairFormats extends ArrayList<String> {
        private static final long serialVersionUID = 1L;

        PairFormats() {
            super(DataFormat.keys(ExampleKind.PAIRS));
        }
    }

    @Override
    public Integer call() throws Exception {
        PrintStream out = root.out;
        int batchSize =
                this.batchSize != null ? this.batchSize : DataSection.defaults().evalBatchSize();
        Inputs.positive(batchSize, "--batch-size");
        Inputs.file(data, "--data");
        DataFormat pairFormat = pairFormat(format);
        CudaProbeLog.quietForCpu(device);
        ModelAccess access = new ModelAccess(model, tokenizer, reference, device);
        access.config(); // a bad model directory fails before anything else
        Path dir =
                RunDirectory.open(output != null ? output : defaultOutput(model, data), "--output")
                        .path();
        long begin = System.nanoTime();
        if (reference == null && isProcessRewardModel(access)) {
            return processRewardEval(access, dir, begin);
        }
        if (pairFormat != DataFormat.AUTO || !HeldOutPairs.looksLikeRewardBench(data)) {
            HeldOutEval.HeldOutReport report =
                    HeldOutEval.run(
                            access,
                            pairFormat == DataFormat.AUTO
                                    ? DataFormat.usual(ExampleKind.PAIRS)
                                    : pairFormat,
                            data,
                            batchSize,
                            maxLength,
                            truncation,
                            ScoreCommand.aggregation(aggregate),
                            dir);
            HeldOutRun run = report.run();
            Map<String, String> files = new LinkedHashMap<>();
            files.put("scores", HeldOutRun.SCORES_FILE);
            files.put("result", HeldOutRun.RESULT_FILE);
            if (java.nio.file.Files.exists(dir.resolve(LayoutEval.PAIRS_FILE))) {
                files.put("ensemble", LayoutEval.PAIRS_FILE);
            }
            Map<String, Double> metrics = new LinkedHashMap<>(run.result().metrics());
            metrics.putAll(report.extra());
            summary(metrics, run.counters(), files, run.runInfo(), begin).write(dir);
            out.print(render(run, report.extra()));
            out.println("results: " + dir);
            return ExitCodes.OK;
        }
        if (truncation != null) {
            throw new ConfigException(
                    "--truncation: applies to held-out pairs (got a RewardBench file "
                            + data
                            + "); expected no --truncation: RewardBench rows are cut from the left"
                            + " to --max-length");
        }
        int length =
                access.maxLength(
                        maxLength, RewardBenchEvaluator.DEFAULT_MAX_LENGTH, "--max-length");
        List<AutoCloseable> open = new ArrayList<>();
        try {
            Scoring scoring = Gradients.withGradModeOff(() -> scorer(access, length, open));
            Map<String, String> info = new LinkedHashMap<>();
            info.put("model", model.toAbsolutePath().toString());
            info.put("reward", reference == null ? "score head" : "log-ratio vs " + reference);
            info.put("dtype", "float32");
            info.put("truncation", "left " + length);
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
            Map<String, Double> metrics = new LinkedHashMap<>();
            metrics.put("overall", run.result().overall());
            run.result().subsets().forEach(sc -> metrics.put("subset/" + sc.subset(), sc.score()));
            Map<String, String> files = new LinkedHashMap<>();
            files.put("scores", RewardBenchRun.SCORES_FILE);
            files.put("result", RewardBenchRun.RESULT_FILE);
            summary(metrics, Map.of("rows", (long) run.rows().size()), files, record, begin)
                    .write(dir);
            out.printf(
                    Locale.ROOT,
                    "%s overall %.4f (%d rows)%n",
                    run.version(),
                    run.result().overall(),
                    run.rows().size());
            run.result()
                    .subsets()
                    .forEach(
                            sc ->
                                    out.printf(
                                            Locale.ROOT,
                                            "  %-28s %.4f%n",
                                            sc.subset(),
                                            sc.score()));
            out.println("results: " + dir);
            return ExitCodes.OK;
        } finally {
            ScoreCommand.closeAll(open);
        }
    }

    private static boolean isProcessRewardModel(ModelAccess access) {
        try {
            return !RewardEnsemble.isEnsemble(access.model())
                    && HeadLayout.read(access.model()).orElse(null)
                            instanceof HeadLayout.ProcessReward;
        } catch (IllegalArgumentException e) {
            throw new ConfigException("--model: " + e.getMessage(), e);
        }
    }

    /** A process reward model on step-annotated solutions ({@link ProcessRewardEval}). */
    private int processRewardEval(ModelAccess access, Path dir, long begin) throws Exception {
        DataSection defaults = DataSection.defaults();
        int batch = batchSize != null ? batchSize : defaults.evalBatchSize();
        int length = access.maxLength(maxLength, defaults.maxLength(), "--max-length");
        Map<String, Double> metrics;
        Map<String, String> record;
        try (RewardScorer scorer =
                RewardScorer.builder(model)
                        .tokenizer(access.tokenizerDir())
                        .device(device)
                        .batchSize(batch)
                        .maxLength(length)
                        .truncation(truncation != null ? truncation : defaults.truncation())
                        .build()) {
            metrics =
                    ProcessRewardEval.run(
                            scorer, data, ScoreCommand.stepAggregation(stepAggregation), dir);
            record = scorer.runInfo();
        }
        record.put("data", data.toAbsolutePath().toString());
        record.put("step_aggregation", stepAggregation);
        Map<String, String> files = new LinkedHashMap<>();
        files.put("steps", ProcessRewardEval.FILE);
        summary(metrics, Map.of(), files, record, begin).write(dir);
        PrintStream out = root.out;
        out.printf(
                Locale.ROOT,
                "process reward model: %d solutions%n",
                metrics.get("prm/solutions").longValue());
        metrics.forEach((k, v) -> out.printf(Locale.ROOT, "  %-28s %.4f%n", k, v));
        out.println("results: " + dir);
        return ExitCodes.OK;
    }

    /**
     * {@code <model's parent>/eval-<model name>-<data file stem>}: next to the model it evaluated.
     */
    static Path defaultOutput(Path model, Path data) {
        Path abs = model.toAbsolutePath().normalize();
        Path parent = abs.getParent() == null ? abs : abs.getParent();
        String stem =
                data.getFileName().toString().replaceFirst("\\.(jsonl|json|parquet)(\\.gz)?$", "");
        return parent.resolve("eval-" + abs.getFileName() + "-" + stem);
    }

    private SummaryFile summary(
            Map<String, Double> metrics,
            Map<String, Long> counters,
            Map<String, String> files,
            Map<String, String> record,
            long begin) {
        return new SummaryFile(
                SummaryFile.SCHEMA,
                "eval",
                SummaryFile.FINISHED,
                model.toAbsolutePath().normalize().getFileName() + " on " + data.getFileName(),
                0,
                0,
                (System.nanoTime() - begin) / 1e9,
                null,
                null,
                Map.of(),
                metrics,
                Map.of(),
                counters,
                files,
                record,
                Instant.now().toString());
    }

    /** The held-out result as aligned lines. */
    private static String render(HeldOutRun run, Map<String, Double> extra) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "held-out pairs: %d scored%n", run.result().pairs()));
        Map<String, Double> metrics = new LinkedHashMap<>(run.result().metrics());
        metrics.putAll(extra);
        metrics.forEach((k, v) -> sb.append(String.format(Locale.ROOT, "  %-28s %.4f%n", k, v)));
        sb.append("  data:");
        run.counters().forEach((k, v) -> sb.append(' ').append(k).append('=').append(v));
        sb.append(System.lineSeparator());
        return sb.toString();
    }

    /**
     * Parses {@code --format}: {@code auto} or a {@code data.format} name that reads preference
     * pairs.
     */
    static DataFormat pairFormat(String key) {
        List<String> formats = DataFormat.keys(ExampleKind.PAIRS);
        if (!formats.contains(key)) {
            throw new ConfigException(
                    "--format: not a preference-pair format (got '"
                            + key
                            + "'); expected one of "
                            + formats
                            + ". auto scores RewardBench rows (with id and subset) by the"
                            + " RewardBench rules and any other file as trl pairs");
        }
        return DataFormat.parse(key);
    }

    /**
     * A scorer and its run-record facts (asked for after scoring, so the truncated count is final).
     */
    record Scoring(TextScorer scorer, Supplier<Map<String, String>> info, ModelTextScorer model) {}

    /** A reward-model scorer, or a DPO implicit-reward scorer when {@code --reference} is given. */
    static Scoring scorer(ModelAccess access, int maxLength, List<AutoCloseable> open) {
        TextEncoder encoder = TextEncoder.load(access.tokenizerDir());
        open.add(encoder);
        if (access.reference() == null) {
            DecoderModel m =
                    RewardModels.load(access.model(), access.tokenizerDir(), access.options());
            open.add(m);
            ModelTextScorer s = new ModelTextScorer(encoder, m::scores, m.manager(), maxLength, 0);
            String pooling = RewardModels.poolingFact(m);
            return new Scoring(
                    s,
                    () -> {
                        Map<String, String> info = new LinkedHashMap<>(s.runInfo());
                        info.put("pooling", pooling);
                        return info;
                    },
                    s);
        }
        DecoderModel policy = DecoderModel.load(access.model(), ModelHead.LM, access.options());
        open.add(policy);
        DecoderModel ref = DecoderModel.load(access.reference(), ModelHead.LM, access.options());
        open.add(ref);
        PolicyTextScorer s =
                new PolicyTextScorer(
                        encoder,
                        policy::tokenLogps,
                        ref::tokenLogps,
                        new ImplicitReward.LogRatio(),
                        policy.manager(),
                        maxLength);
        return new Scoring(s, s::runInfo, null);
    }

    /** Validation of option values shared by the commands. */
    static final class Inputs {
        private Inputs() {}

        static void positive(int value, String option) {
            if (value < 1) {
                throw new ConfigException(
                        option + ": expected an integer >= 1 (got " + value + ")");
            }
        }

        static void file(Path file, String option) {
            if (Files.isDirectory(file)) {
                throw new ConfigException(
                        option + ": " + file + " is a directory; expected a file");
            }
            if (!Files.isRegularFile(file)) {
                throw new ConfigException(
                        option + ": " + file + " does not exist; expected a file");
            }
            if (!Files.isReadable(file)) {
                throw new ConfigException(
                        option + ": " + file + " is not readable (permission denied)");
            }
        }
    }
}
