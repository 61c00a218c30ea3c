package dev.reward4j.trainers.app.launcher;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code reward4j ensemble train|relabel}: reward-model ensembles of separately trained members
 * ({@link EnsembleTrainCommand}) and the Secrets-of-RLHF-II data tools built on them ({@link
 * EnsembleRelabelCommand}). An ensemble directory is scored and evaluated by {@code score} and
 * {@code eval} like a model directory.
 */
@Command(
        name = "ensemble",
        mixinStandardHelpOptions = true,
        versionProvider = Reward4j.Version.class,
        description = {
            "Reward-model ensembles: train K members from one configuration (different seeds or"
                    + " base checkpoints) into one directory, and relabel preference data by the"
                    + " ensemble's preference strength (flip confidently reversed pairs, adaptive"
                    + " margins).",
            "score and eval take the ensemble directory as --model."
        },
        subcommands = {EnsembleTrainCommand.class, EnsembleRelabelCommand.class})
final class EnsembleCommand implements Callable<Integer> {
    @ParentCommand Reward4j root;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        throw new CommandLine.ParameterException(
                spec.commandLine(), "expected a job: train or relabel");
    }
}
