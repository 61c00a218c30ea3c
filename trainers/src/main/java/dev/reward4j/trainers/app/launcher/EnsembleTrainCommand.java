package dev.reward4j.trainers.app.launcher;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reward4j.core.heads.RewardEnsemble;
import dev.reward4j.trainers.config.ConfigException;
import dev.reward4j.trainers.config.ConfigLoader;
import dev.reward4j.trainers.config.ObjectiveConfig;
import dev.reward4j.trainers.config.RunConfig;
import dev.reward4j.trainers.config.StandardObjectives;
import dev.reward4j.trainers.device.CudaProbeLog;
import dev.reward4j.trainers.eval.RewardModels;
import dev.reward4j.trainers.metrics.ConsoleProgressSink;
import dev.reward4j.trainers.metrics.ProgressMode;
import dev.reward4j.trainers.run.ResumeMode;
import dev.reward4j.trainers.run.RunResult;
import dev.reward4j.trainers.run.TrainRun;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code reward4j ensemble train}: K reward models trained from one configuration, member {@code i}
 * with seed {@code train.seed + i} (its own head initialisation and data order) and, with {@code
 * --base-models}, its own base checkpoint (the "pretrain" ensembles of "Helping or Herding? Reward
 * Model Ensembles Mitigate but do not Eliminate Reward Hacking", arXiv 2312.09244). Each member is
 * an ordinary run in {@code <train.output_dir>/member-<i>} (checkpoints, resume, a finished member
 * is not retrained); when all have finished, {@code ensemble.json} makes the directory one {@link
 * RewardEnsemble} of the members' final models, which {@code score}, {@code eval} and {@code
 * ensemble relabel} open. Only scalar reward models on pairs (the Bradley-Terry family) make
 * ensemble members.
 */
@Command(
        name = "train",
        mixinStandardHelpOptions = true,
        versionProvider = Reward4j.Version.class,
        description = {
            "Train K reward-model members from one configuration (seed train.seed + i, or"
                    + " --base-models) into train.output_dir/member-<i>, then write ensemble.json:"
                    + " the directory is then an ensemble that score and eval take as --model.",
            "Members are ordinary runs: an interrupted member resumes, a finished one is kept."
        })
final class EnsembleTrainCommand implements Callable<Integer> {
    @ParentCommand EnsembleCommand ensemble;

    @Option(
            names = "--config",
            required = true,
            paramLabel = "FILE",
            description = "The run configuration of every member (YAML or JSON).")
    Path config;

    @Option(
            names = "--members",
            required = true,
            paramLabel = "K",
            description = "Number of members, >= 2.")
    int members;

    @Option(
            names = "--base-models",
            split = ",",
            paramLabel = "DIR",
            description =
                    "One base checkpoint per member (comma-separated, K of them) instead of"
                            + " model.path.")
    List<Path> baseModels = new ArrayList<>();

    @Option(
            names = "--set",
            paramLabel = "KEY=VALUE",
            description = "Set a key of every member's configuration (repeatable).")
    List<String> sets = new ArrayList<>();

    @Option(
            names = "--progress",
            paramLabel = "MODE",
            defaultValue = "auto",
            description = "bar, lines, off or auto (default ${DEFAULT-VALUE}).")
    String progress;

    @Override
    public Integer call() throws Exception {
        Reward4j root = ensemble.root;
        PrintStream out = root.out;
        PrintStream err = root.err;
        if (members < 2) {
            throw new ConfigException("--members: expected an integer >= 2 (got " + members + ")");
        }
        if (!baseModels.isEmpty() && baseModels.size() != members) {
            throw new ConfigException(
                    "--base-models: "
                            + baseModels.size()
                            + " checkpoints for "
                            + members
                            + " members; expected one per member");
        }
        ConfigLoader loader = new ConfigLoader(StandardObjectives.catalog());
        ObjectNode user = TrlKeys.normalize(loader.read(config), config.toString());
        List<String> common = new ArrayList<>(TrlKeys.overrides(sets));
        RunConfig base = loader.resolve(user, common);
        if (!(base.objective() instanceof ObjectiveConfig.RewardPairs)) {
            throw new ConfigException(
                    "objective.type: ensemble members are scalar reward models trained on pairs"
                            + " (bt and its family; got "
                            + base.objective().type()
                            + "); expected e.g. bt, or objective.type ensemble-heads for K heads"
                            + " on one backbone");
        }
        ProgressMode mode = ProgressMode.parse(progress);
        Path dir = Path.of(base.train().outputDir());
        CudaProbeLog.quietForCpu(base.train().device());
        List<String> finals = new ArrayList<>();
        for (int i = 0; i < members; i++) {
            List<String> overrides = new ArrayList<>(common);
            overrides.add("train.output_dir=" + dir.resolve("member-" + i));
            overrides.add("train.seed=" + (base.train().seed() + i));
            if (!baseModels.isEmpty()) {
                overrides.add("model.path=" + baseModels.get(i));
            }
            RunConfig cfg = loader.resolve(user, overrides);
            String task = "member " + i;
            ObjectNode resolved = loader.toTree(cfg);
            err.println(
                    "reward4j ensemble: member "
                            + i
                            + " of "
                            + members
                            + " (seed "
                            + cfg.train().seed()
                            + ", model "
                            + cfg.model().path()
                            + ")");
            RunResult result;
            try (TrainRun run =
                    new TrainRun(
                                    cfg,
                                    resolved,
                                    err,
                                    steps -> ConsoleProgressSink.create(task, steps, mode, err))
                            .withStop(root.stop)
                            .withResumeMode(
                                    cfg.checkpoint().resume()
                                            ? ResumeMode.AUTO
                                            : ResumeMode.NEVER)) {
                result = run.run();
            }
            if (result.status() == RunResult.Status.INTERRUPTED) {
                err.println(
                        "reward4j ensemble train: stopped by "
                                + root.stop.reason()
                                + " in member "
                                + i
                                + "; run the same command again to resume it");
                return root.stop.exitCode();
            }
            if (result.status() != RunResult.Status.ALREADY_FINISHED) {
                TrainCommand.report(cfg, resolved, result);
            }
            out.println("member " + i + ": " + result.modelDir());
            finals.add(dir.relativize(result.modelDir()).toString());
        }
        List<Path> checkpoints = new ArrayList<>();
        finals.forEach(f -> checkpoints.add(dir.resolve(f)));
        try {
            RewardModels.requireOneTokenizer(checkpoints); // score and eval encode texts once
        } catch (IllegalArgumentException e) {
            throw new ConfigException("--base-models: " + e.getMessage(), e);
        }
        RewardEnsemble.writeMembers(dir, finals);
        out.println("ensemble: " + dir + " (" + members + " members)");
        return ExitCodes.OK;
    }
}
