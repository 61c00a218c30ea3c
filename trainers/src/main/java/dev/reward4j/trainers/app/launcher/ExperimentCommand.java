package dev.reward4j.trainers.app.launcher;

import dev.reward4j.trainers.app.experiment.ExperimentLauncher;
import dev.reward4j.trainers.app.experiment.ExperimentSummary;
import dev.reward4j.trainers.app.experiment.LaunchRequest;
import dev.reward4j.trainers.device.CudaProbeLog;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code reward4j experiment}: runs {@code @RewardExperiment} classes through the JUnit Platform
 * ({@link ExperimentLauncher}); needs the experiment classes and JUnit's launcher and Jupiter
 * engine on the class path.
 */
@Command(
        name = "experiment",
        mixinStandardHelpOptions = true,
        versionProvider = Reward4j.Version.class,
        description = {
            "Run experiment classes (@RewardExperiment) on a chosen device and write summary.json"
                    + " and summary.md. Exit 0 when every experiment passed, 1 otherwise."
        })
final class ExperimentCommand implements Callable<Integer> {
    @ParentCommand Reward4j root;

    @Option(
            names = "--device",
            paramLabel = "DEVICE",
            description =
                    "Overrides every experiment's @RewardExperiment device (default: its own, else"
                            + " cpu).")
    String device;

    @Option(
            names = "--out",
            paramLabel = "DIR",
            description = "Output directory (default target/experiments).")
    Path out;

    @Option(names = "--seed", paramLabel = "N", description = "Overrides every experiment's seed.")
    Long seed;

    @Parameters(
            arity = "1..*",
            paramLabel = "SELECTOR",
            description = "CLASS, CLASS#METHOD or package:NAME.")
    List<String> selectors;

    @Override
    public Integer call() {
        LaunchRequest request = LaunchRequest.of(selectors.toArray(new String[0]));
        if (device != null) {
            request = request.withDevice(device);
            CudaProbeLog.quietForCpu(device);
        }
        if (out != null) {
            request = request.withOutputDir(out);
        }
        if (seed != null) {
            request = request.withSeed(seed);
        }
        ExperimentSummary summary = ExperimentLauncher.run(request);
        root.out.print(summary.markdown());
        root.out.println("summary: " + request.outputDir().resolve("summary.md").toAbsolutePath());
        return summary.successful() ? ExitCodes.OK : ExitCodes.INTERNAL;
    }
}
