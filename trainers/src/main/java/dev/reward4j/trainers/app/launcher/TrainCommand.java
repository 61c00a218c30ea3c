package dev.reward4j.trainers.app.launcher;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reward4j.trainers.app.report.HtmlReport;
import dev.reward4j.trainers.app.report.ReportInput;
import dev.reward4j.trainers.config.ConfigException;
import dev.reward4j.trainers.config.ConfigLoader;
import dev.reward4j.trainers.config.RunConfig;
import dev.reward4j.trainers.config.StandardObjectives;
import dev.reward4j.trainers.device.CudaProbeLog;
import dev.reward4j.trainers.metrics.ConsoleProgressSink;
import dev.reward4j.trainers.metrics.ProgressMode;
import dev.reward4j.trainers.metrics.SummaryFile;
import dev.reward4j.trainers.run.ResumeMode;
import dev.reward4j.trainers.run.RunResult;
import dev.reward4j.trainers.run.TrainRun;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code reward4j train}: reads a YAML or JSON configuration (sectioned keys, or TRL's flat names:
 * {@link TrlKeys}), applies {@code --set} overrides, trains through {@link TrainRun} and writes the
 * HTML report. Progress and log lines go to standard error; the summary, the report and the model
 * paths to standard output. Stopped by SIGINT/SIGTERM it prints the command that resumes it.
 */
@Command(
        name = "train",
        mixinStandardHelpOptions = true,
        versionProvider = Reward4j.Version.class,
        description = {
            "Train a reward model or a policy from a YAML or JSON configuration.",
            "Keys are sectioned (optim.lr, data.batch_size, ...) or TRL's flat names"
                    + " (learning_rate, per_device_train_batch_size, ...); see README.",
            "A run directory (train.output_dir) is resumed only when its recorded run has the"
                    + " same model, data and settings; otherwise nothing is run and the"
                    + " differences are listed."
        })
final class TrainCommand implements Callable<Integer> {
    @ParentCommand Reward4j root;

    @Option(
            names = "--config",
            required = true,
            paramLabel = "FILE",
            description = "The run configuration (YAML or JSON).")
    Path config;

    @Option(
            names = "--set",
            paramLabel = "KEY=VALUE",
            description =
                    "Set a key before validation (repeatable; the value is YAML, so"
                            + " model.reference=null works; TRL names work too).")
    List<String> sets = new ArrayList<>();

    @Option(
            names = "--device",
            paramLabel = "DEVICE",
            description = "cpu, gpu, gpu:N or auto; the same as --set train.device=DEVICE.")
    String device;

    @Option(
            names = "--resume",
            paramLabel = "MODE",
            description =
                    "auto: continue the run in train.output_dir when it is the same run (the"
                            + " default with checkpoint.resume: true); force: continue it even"
                            + " though the configuration changed (e.g. a longer run); never: the"
                            + " directory must not hold a run (the default with"
                            + " checkpoint.resume: false).")
    String resume;

    @Option(
            names = "--progress",
            paramLabel = "MODE",
            defaultValue = "auto",
            description =
                    "bar (one line, 80 columns), lines (one line per logged step), off, or auto"
                            + " (bar on a terminal, lines otherwise). Default: ${DEFAULT-VALUE}.")
    String progress;

    @Override
    public Integer call() throws Exception {
        PrintStream out = root.out;
        PrintStream err = root.err;
        ConfigLoader loader = new ConfigLoader(StandardObjectives.catalog());
        ObjectNode user = TrlKeys.normalize(loader.read(config), config.toString());
        List<String> overrides = new ArrayList<>(TrlKeys.overrides(sets));
        if (device != null) {
            overrides.add("train.device=" + device);
        }
        RunConfig cfg = loader.resolve(user, overrides);
        ProgressMode mode = option("--progress", () -> ProgressMode.parse(progress));
        ResumeMode resumeMode =
                resume == null
                        ? (cfg.checkpoint().resume() ? ResumeMode.AUTO : ResumeMode.NEVER)
                        : option("--resume", () -> ResumeMode.parse(resume));
        CudaProbeLog.quietForCpu(cfg.train().device());
        ObjectNode resolved = loader.toTree(cfg);
        RunResult result;
        try (TrainRun run =
                new TrainRun(
                                cfg,
                                resolved,
                                err,
                                steps -> ConsoleProgressSink.create("train", steps, mode, err))
                        .withStop(root.stop)
                        .withResumeMode(resumeMode)) {
            result = run.run();
        }
        if (result.status() == RunResult.Status.ALREADY_FINISHED) {
            out.print(result.summary().render());
            printPaths(out, result, result.runDir().resolve("report").resolve(HtmlReport.INDEX));
            return ExitCodes.OK;
        }
        Path report = report(cfg, resolved, result);
        if (result.status() == RunResult.Status.INTERRUPTED) {
            err.println(
                    "reward4j train: stopped by "
                            + root.stop.reason()
                            + " after step "
                            + result.loop().steps()
                            + "; checkpoint "
                            + result.checkpoint());
            err.println("reward4j train: resume with: " + resumeCommand());
            err.println("reward4j train: report of the run so far: " + report);
            return root.stop.exitCode();
        }
        out.print(result.summary().render());
        printPaths(out, result, report);
        return ExitCodes.OK;
    }

    private static void printPaths(PrintStream out, RunResult result, Path report) {
        if (Files.exists(report)) {
            out.println("report: " + report);
        }
        out.println("model:  " + result.modelDir());
    }

    /** Parses an option value; a bad one is a user error naming the option. */
    private static <T> T option(String name, java.util.function.Supplier<T> parse) {
        try {
            return parse.get();
        } catch (IllegalArgumentException e) {
            throw new ConfigException(name + ": " + e.getMessage(), e);
        }
    }

    /** Writes the HTML report of the run and records it in {@code summary.json}. */
    static Path report(RunConfig cfg, ObjectNode resolved, RunResult result) {
        Map<String, String> info = new LinkedHashMap<>();
        info.put("objective", cfg.objective().type());
        info.put("model", cfg.model().path());
        info.put(
                "data",
                cfg.data().train()
                        + (cfg.data().eval() == null ? "" : ", eval " + cfg.data().eval()));
        info.put("status", result.status().name().toLowerCase(java.util.Locale.ROOT));
        Path report =
                HtmlReport.write(
                                result.runDir().resolve("report"),
                                ReportInput.fromMetricsFile(
                                                TrainRun.runName(cfg), result.metricsFile())
                                        .withRunInfo(info)
                                        .withSummary(result.summary())
                                        .withHyperparameters(resolved))
                        .html();
        // summary.json names the report next to the other outputs
        SummaryFile.read(result.runDir())
                .ifPresent(
                        s ->
                                s.withFile("report", result.runDir().relativize(report).toString())
                                        .write(result.runDir()));
        return report;
    }

    /** The command that resumes this run: the same command line without {@code --resume}. */
    private String resumeCommand() {
        List<String> args = new ArrayList<>();
        List<String> given = root.args;
        for (int i = 0; i < given.size(); i++) {
            String a = given.get(i);
            if (a.equals("--resume")) {
                i++;
                continue;
            }
            if (a.startsWith("--resume=")) {
                continue;
            }
            args.add(a);
        }
        return "reward4j "
                + args.stream()
                        .map(
                                a ->
                                        a.matches("[A-Za-z0-9_./:=@,+-]+")
                                                ? a
                                                : "'" + a.replace("'", "'\\''") + "'")
                        .collect(Collectors.joining(" "));
    }
}
