package dev.reward4j.trainers.app.launcher;

import dev.reward4j.core.synth.ArithmeticTask;
import dev.reward4j.core.synth.ConsistencyTask;
import dev.reward4j.core.synth.ConstraintTask;
import dev.reward4j.core.synth.SynthTask;
import dev.reward4j.trainers.app.demo.DemoConfig;
import dev.reward4j.trainers.app.demo.DemoJob;
import dev.reward4j.trainers.config.ConfigException;
import dev.reward4j.trainers.device.CudaProbeLog;
import dev.reward4j.trainers.device.DeviceSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code reward4j demo}: the main job ({@link DemoJob}) with its options. */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        versionProvider = Reward4j.Version.class,
        description = {
            "Train a small Llama-style reward model from scratch on synthetic preferences with a"
                    + " known ground truth and report its held-out accuracy next to the best"
                    + " achievable (see README)."
        })
final class DemoCommand implements Callable<Integer> {
    @ParentCommand Reward4j root;

    @Option(
            names = "--out",
            paramLabel = "DIR",
            description = "Output directory (default runs/demo-<date>-<time>).")
    Path out;

    @Option(
            names = "--device",
            paramLabel = "DEVICE",
            defaultValue = "cpu",
            description = "cpu, gpu, gpu:N or auto (default ${DEFAULT-VALUE}).")
    String device;

    @Option(names = "--seed", paramLabel = "N", description = "Seed of data and initialisation.")
    Long seed;

    @Option(names = "--steps", paramLabel = "N", description = "Optimizer steps.")
    Long steps;

    @Option(
            names = "--tasks",
            paramLabel = "LIST",
            split = ",",
            description = "Synthetic tasks: ${COMPLETION-CANDIDATES} (comma-separated).",
            completionCandidates = Tasks.class)
    List<String> tasks;

    @Option(names = "--tiny", description = "A seconds-long smoke configuration.")
    boolean tiny;

    /** The task names. */
    static final class Tasks extends ArrayList<String> {
        private static final long serialVersionUID = 1L;

        Tasks() {
            super(List.of("arithmetic", "constraint", "consistency"));
        }
    }

    @Override
    public Integer call() {
        DemoConfig config = tiny ? DemoConfig.tiny() : DemoConfig.defaults();
        if (seed != null) {
            config = config.withSynth(config.synth().withSeed(seed));
        }
        if (tasks != null) {
            List<SynthTask> parsed = new ArrayList<>();
            for (String t : tasks) {
                parsed.add(
                        switch (t.trim()) {
                            case "arithmetic" -> ArithmeticTask.defaults();
                            case "constraint" -> ConstraintTask.defaults();
                            case "consistency" -> ConsistencyTask.defaults();
                            default ->
                                    throw new ConfigException(
                                            "--tasks: unknown task '"
                                                    + t
                                                    + "'; expected arithmetic, constraint or"
                                                    + " consistency");
                        });
            }
            config = config.withSynth(config.synth().withTasks(parsed));
        }
        if (steps != null) {
            if (steps < 1) {
                throw new ConfigException("--steps: expected an integer >= 1 (got " + steps + ")");
            }
            config = config.withSteps(steps);
        }
        // syntax only here; availability is checked when the model is built
        DeviceSpec.resolve(device, () -> Integer.MAX_VALUE);
        CudaProbeLog.quietForCpu(device);
        DemoJob.run(
                config, out == null ? DemoJob.defaultOutputDir() : out, device, root.out, root.err);
        return ExitCodes.OK;
    }
}
