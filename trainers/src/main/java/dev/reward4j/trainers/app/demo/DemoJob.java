package dev.reward4j.trainers.app.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.reward4j.core.data.DataCounters;
import dev.reward4j.core.data.Padding;
import dev.reward4j.core.data.PairBatch;
import dev.reward4j.core.data.PairCollator;
import dev.reward4j.core.data.PreferencePair;
import dev.reward4j.core.data.ShuffleSampler;
import dev.reward4j.core.data.TokenizedPair;
import dev.reward4j.core.model.DecoderModel;
import dev.reward4j.core.model.ModelHead;
import dev.reward4j.core.model.ModelOptions;
import dev.reward4j.core.synth.Ceiling;
import dev.reward4j.core.synth.Split;
import dev.reward4j.core.synth.SynthPair;
import dev.reward4j.core.synth.SynthTokenizer;
import dev.reward4j.core.synth.SyntheticPreferences;
import dev.reward4j.core.text.ExampleTokenizer;
import dev.reward4j.core.text.TextEncoder;
import dev.reward4j.core.text.TruncationPolicy;
import dev.reward4j.losses.RewardModelObjective;
import dev.reward4j.trainers.app.report.HtmlReport;
import dev.reward4j.trainers.app.report.ReportInput;
import dev.reward4j.trainers.checkpoint.RunInfo;
import dev.reward4j.trainers.checkpoint.TrainerState;
import dev.reward4j.trainers.device.DeviceSpec;
import dev.reward4j.trainers.eval.HeldOutPairs;
import dev.reward4j.trainers.eval.HeldOutResult;
import dev.reward4j.trainers.loop.LoopOptions;
import dev.reward4j.trainers.loop.LoopParts;
import dev.reward4j.trainers.loop.LoopResult;
import dev.reward4j.trainers.loop.TrainLoop;
import dev.reward4j.trainers.metrics.ConsoleProgressSink;
import dev.reward4j.trainers.metrics.JsonlMetricSink;
import dev.reward4j.trainers.metrics.MetricSink;
import dev.reward4j.trainers.metrics.MetricSinks;
import dev.reward4j.trainers.metrics.MetricsLog;
import dev.reward4j.trainers.metrics.ProgressMode;
import dev.reward4j.trainers.metrics.RunSummary;
import dev.reward4j.trainers.metrics.SummaryFile;
import dev.reward4j.trainers.metrics.SummarySink;
import dev.reward4j.trainers.optim.AdamW;
import dev.reward4j.trainers.optim.AdamWConfig;
import dev.reward4j.trainers.optim.GlobalNormClip;
import dev.reward4j.trainers.optim.LrSchedule;
import dev.reward4j.trainers.run.CollatedSource;
import dev.reward4j.trainers.step.RewardPairsStep;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The main job: trains a small Llama-style reward model from scratch on the embedded synthetic
 * preference data, prints its held-out accuracy next to the ground-truth ceiling, and writes into
 * the output directory:
 *
 * <ul>
 *   <li>{@code model/} — the reward model in Hugging Face format ({@code
 *       LlamaForSequenceClassification}, safetensors, tokenizer files);
 *   <li>{@code report/report.html} — loss and accuracy curves, chosen/rejected reward histograms,
 *       reliability diagram;
 *   <li>{@code metrics.jsonl}, {@code summary.json} (the common summary schema of {@code train},
 *       {@code demo} and {@code eval}, with the held-out metrics), {@code run.json} (provenance),
 *       {@code tokenizer/} (the generated word-level tokenizer).
 * </ul>
 *
 * <p>Composed only of library parts: {@code core.synth} data, D's tokenizer and collator, M's
 * {@code DecoderModel}, L's Bradley-Terry loss through T's {@code RewardPairsStep}, T's {@code
 * TrainLoop} and {@code AdamW}, E's evaluator, sinks and report.
 *
 * <pre>
 * java -jar trainers/target/reward4j.jar demo --out runs/demo      (or DemoJob.main)
 * options: --out DIR  --device cpu|gpu|gpu:N|auto  --seed N  --steps N  --tasks LIST  --tiny
 * </pre>
 *
 * <p>Progress goes to standard error and the result lines to standard output.
 */
public final class DemoJob {
    private static final ObjectMapper JSON =
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private DemoJob() {}

    /**
     * Command-line entry point: {@code reward4j demo ARGS} (see {@code
     * dev.reward4j.trainers.app.launcher.Reward4j}).
     */
    public static void main(String[] args) {
        String[] all = new String[args.length + 1];
        all[0] = "demo";
        System.arraycopy(args, 0, all, 1, args.length);
        dev.reward4j.trainers.app.launcher.Reward4j.main(all);
    }

    /** The default output directory: {@code runs/demo-<yyyyMMdd-HHmmss>}. */
    public static Path defaultOutputDir() {
        return Paths.get(
                "runs",
                "demo-"
                        + LocalDateTime.now()
                                .format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    }

    /**
     * Runs the job with progress and results on {@code console}.
     *
     * @param config what to train
     * @param out output directory (created)
     * @param device {@code cpu}, {@code gpu}, {@code gpu:N} or {@code auto}
     * @param console where progress and the result lines go
     * @return the result ({@code out/summary.json} holds it in the common summary schema)
     */
    public static DemoResult run(DemoConfig config, Path out, String device, PrintStream console) {
        return run(config, out, device, console, console);
    }

    /**
     * Runs the job.
     *
     * @param config what to train
     * @param out output directory (created)
     * @param device {@code cpu}, {@code gpu}, {@code gpu:N} or {@code auto}
     * @param console where the result lines go (standard output)
     * @param progress where progress goes (standard error)
     * @return the result ({@code out/summary.json} holds it in the common summary schema)
     */
    public static DemoResult run(
            DemoConfig config, Path out, String device, PrintStream console, PrintStream progress) {
        long begin = System.nanoTime();
        Path dir = out.toAbsolutePath().normalize();
        long seed = config.synth().seed();
        progress.printf(
                Locale.ROOT,
                "reward4j demo: training a %d-layer Llama-style reward model from scratch -> %s%n",
                config.model().numLayers(),
                dir);

        // 1. data with a known ground truth, and its tokenizer
        Path tokenizerDir =
                SynthTokenizer.write(
                        dir.resolve("tokenizer"), config.synth().tasks(), config.maxLength());
        SyntheticPreferences gen = new SyntheticPreferences(config.synth());
        List<SynthPair> heldOut = gen.pairs(Split.HELD_OUT, 0, config.heldOutPairs());
        double ceiling = Ceiling.pairwise(heldOut);
        double oracle =
                heldOut.stream().filter(p -> p.chosenReward() > p.rejectedReward()).count()
                        / (double) heldOut.size();
        List<TokenizedPair> trainTokens;
        List<TokenizedPair> heldOutTokens;
        DataCounters counters = new DataCounters();
        PairCollator collator;
        try (TextEncoder encoder = TextEncoder.load(tokenizerDir)) {
            ExampleTokenizer tokenizer =
                    new ExampleTokenizer(
                            encoder, new TruncationPolicy.Drop(config.maxLength()), counters);
            trainTokens = tokenizer.pairs(convert(gen.pairs(Split.TRAIN, 0, config.trainPairs())));
            heldOutTokens = tokenizer.pairs(convert(heldOut));
            collator = new PairCollator(Padding.right(encoder.padId()));
        }
        if (heldOutTokens.size() != heldOut.size() || trainTokens.size() != config.trainPairs()) {
            throw new IllegalStateException(
                    "demo: "
                            + counters.droppedCount()
                            + " synthetic pairs dropped by truncation"
                            + " (maxLength "
                            + config.maxLength()
                            + "); expected none. Raise maxLength");
        }

        // 2. model, objective, optimizer, loop
        ModelOptions options = ModelOptions.defaults().withDevice(DeviceSpec.resolve(device));
        LoopResult summary;
        HeldOutResult result;
        Path metricsFile = dir.resolve("metrics.jsonl");
        try (DecoderModel model =
                        DecoderModel.create(
                                config.model(), new ModelHead.Reward(1), seed, options);
                AdamW optimizer =
                        new AdamW(model.parameters(), AdamWConfig.defaults(), model.manager())) {
            model.setTrainable(true);
            // the one held-out pair scorer, with the reward of training (RewardPairsStep.rewards)
            Supplier<HeldOutResult> eval =
                    () ->
                            HeldOutPairs.score(
                                            heldOutTokens,
                                            collator::collate,
                                            b -> RewardPairsStep.rewards(model, b),
                                            model.manager(),
                                            256)
                                    .evaluate();
            LoopOptions loop =
                    LoopOptions.defaults()
                            .withMaxSteps(config.steps())
                            .withLogEvery(Math.max(1, (int) (config.steps() / 100)))
                            .withEvalEvery(config.evalEvery());
            long warmup = Math.max(1, config.steps() / 20);
            try (JsonlMetricSink jsonl = JsonlMetricSink.create(metricsFile);
                    ConsoleProgressSink bar =
                            ConsoleProgressSink.create(
                                    "demo", config.steps(), ProgressMode.auto(), progress)) {
                MetricSink sink = MetricSinks.tee(jsonl, bar);
                LoopParts<PairBatch> parts =
                        LoopParts.<PairBatch>builder(model.manager())
                                .step(
                                        new RewardPairsStep(
                                                model,
                                                RewardModelObjective.BradleyTerry.defaults()))
                                .source(
                                        new CollatedSource<>(
                                                trainTokens,
                                                new ShuffleSampler(seed),
                                                config.batchPairs(),
                                                collator::collate))
                                .optimizer(optimizer)
                                .schedule(
                                        new LrSchedule.Cosine(
                                                config.learningRate(), warmup, config.steps(), 0.1))
                                .clip(new GlobalNormClip(1.0))
                                .sink(sink)
                                .evaluator(step -> eval.get().metrics())
                                .options(loop)
                                .start(TrainerState.fresh(seed))
                                .build();
                summary = new TrainLoop<>(parts).run();
            }
            result = eval.get();

            // 3. artifacts: HF checkpoint, report, provenance, summary
            Path modelDir = dir.resolve("model");
            model.save(modelDir, tokenizerDir);
            Map<String, Double> finals = new LinkedHashMap<>(result.metrics());
            finals.put("ceiling_accuracy", ceiling);
            finals.put("oracle_accuracy", oracle);
            finals.putAll(perTask(heldOut, result));
            finals.put("final_train_loss", summary.losses().get(summary.losses().size() - 1));
            Map<String, String> info = new LinkedHashMap<>();
            info.put(
                    "model",
                    config.model().numLayers()
                            + " layers, width "
                            + config.model().hiddenSize()
                            + ", "
                            + config.model().numHeads()
                            + "/"
                            + config.model().numKvHeads()
                            + " heads, vocab "
                            + config.model().vocabSize());
            info.put(
                    "data",
                    config.trainPairs()
                            + " train / "
                            + config.heldOutPairs()
                            + " held-out synthetic pairs, "
                            + "temperature "
                            + config.synth().noise().temperature()
                            + ", flip "
                            + config.synth().noise().flipRate());
            info.put("device", model.device().toString());
            info.put("seed", Long.toString(seed));
            info.put("steps", summary.steps() + " x " + config.batchPairs() + " pairs");
            info.put("train wall time", String.format(Locale.ROOT, "%.1f s", summary.seconds()));
            String runName = dir.getFileName().toString();
            Path report =
                    HtmlReport.write(
                                    dir.resolve("report"),
                                    ReportInput.of(runName, MetricsLog.readDistinct(metricsFile))
                                            .withHeldOut(result)
                                            .withFinalMetrics(finals)
                                            .withCeilingAccuracy(ceiling)
                                            .withRunInfo(info)
                                            .withHyperparameters(JSON.valueToTree(config)))
                            .html();
            String deviceKey = DeviceSpec.name(model.device());
            writeProvenance(dir, deviceKey, seed, config);
            double total = (System.nanoTime() - begin) / 1e9;
            DemoResult demo =
                    new DemoResult(
                            dir,
                            result.accuracy(),
                            ceiling,
                            oracle,
                            heldOut.size(),
                            summary.steps(),
                            finals.get("final_train_loss"),
                            summary.seconds(),
                            total,
                            result.metrics(),
                            modelDir,
                            report);
            Map<String, String> files = new LinkedHashMap<>();
            files.put("model", dir.relativize(modelDir).toString());
            files.put("report", dir.relativize(report).toString());
            files.put("metrics", dir.relativize(metricsFile).toString());
            files.put("tokenizer", dir.relativize(tokenizerDir).toString());
            Map<String, String> facts = new LinkedHashMap<>(info);
            facts.put("device", deviceKey);
            SummarySink sink = new SummarySink();
            MetricsLog.readDistinct(metricsFile)
                    .forEach(r -> sink.record(r.phase(), r.step(), r.values()));
            RunSummary run =
                    sink.summarize(
                            java.time.Duration.ofNanos((long) (summary.seconds() * 1e9)),
                            summary.tokens(),
                            (long) summary.examples(),
                            RunSummary.counters(counters));
            Map<String, Double> heldOutFinals = new LinkedHashMap<>(finals);
            heldOutFinals.remove("final_train_loss");
            SummaryFile.of(
                            "demo",
                            SummaryFile.FINISHED,
                            runName,
                            withEval(run, heldOutFinals),
                            config.steps(),
                            files,
                            facts)
                    .write(dir);
            console.printf(
                    Locale.ROOT,
                    "held-out accuracy %.4f   ground-truth ceiling %.4f   (%d pairs; chance 0.5)%n",
                    demo.accuracy(),
                    demo.ceiling(),
                    demo.heldOutPairs());
            perTask(heldOut, result)
                    .forEach(
                            (k, v) -> {
                                if (k.startsWith("accuracy/")) {
                                    String task = k.substring("accuracy/".length());
                                    console.printf(
                                            Locale.ROOT,
                                            "  %-12s accuracy %.4f   ceiling %.4f%n",
                                            task,
                                            v,
                                            finals.get("ceiling/" + task));
                                }
                            });
            console.printf(
                    Locale.ROOT,
                    "wall time %.1f s (training %.1f s, %d steps)%n",
                    total,
                    summary.seconds(),
                    summary.steps());
            console.println("model:  " + modelDir);
            console.println("report: " + report);
            return demo;
        }
    }

    /**
     * Held-out accuracy and ceiling per synthetic task ({@code accuracy/<task>}, {@code
     * ceiling/<task>}).
     */
    static Map<String, Double> perTask(List<SynthPair> heldOut, HeldOutResult result) {
        double[] c = result.chosenScores();
        double[] r = result.rejectedScores();
        Map<String, double[]> acc =
                new java.util.TreeMap<>(); // task -> (correct, ceiling sum, count)
        for (int i = 0; i < heldOut.size(); i++) {
            double[] a = acc.computeIfAbsent(heldOut.get(i).task(), k -> new double[3]);
            a[0] += c[i] > r[i] ? 1 : 0;
            a[1] += Ceiling.of(heldOut.get(i).preferenceProbability());
            a[2]++;
        }
        Map<String, Double> out = new LinkedHashMap<>();
        acc.forEach(
                (task, a) -> {
                    out.put("accuracy/" + task, a[0] / a[2]);
                    out.put("ceiling/" + task, a[1] / a[2]);
                });
        return out;
    }

    private static List<PreferencePair> convert(List<SynthPair> pairs) {
        return pairs.stream().map(SynthPair::toPreferencePair).toList();
    }

    private static void writeProvenance(Path dir, String device, long seed, DemoConfig config) {
        try {
            RunInfo.capture(device, seed, List.of(), config).write(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("demo: cannot write run.json into " + dir, e);
        }
    }

    /** The run summary with the held-out evaluation as its final eval values. */
    private static RunSummary withEval(RunSummary s, Map<String, Double> eval) {
        return new RunSummary(
                s.steps(),
                s.finalTrain(),
                eval,
                s.best(),
                s.wallTime(),
                s.tokens(),
                s.examples(),
                s.dataCounters());
    }
}
